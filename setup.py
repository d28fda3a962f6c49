"""tfvae: variational autoencoders in TensorFlow / Keras 3 / TensorFlow Probability."""
import os

from setuptools import find_namespace_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
  LONG_DESCRIPTION = f.read()

setup(
    name="tfvae",
    version="0.1.0",
    description="Variational autoencoders (flows, VRNN, discrete VAE, CP-VAE, "
                "CG-BPEF-VAE) in TensorFlow/Keras 3/TFP, with SavedModel samplers.",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    python_requires=">=3.10,<3.13",
    # Namespace discovery includes tfvae/data/assets (data files, no __init__.py).
    # configs/ is installed as tfvae.configs: the shipped configs by name from anywhere,
    # and configs/suites/ as tfvae.configs.suites: the suites of tfvae-benchmark.
    packages=find_namespace_packages(include=["tfvae", "tfvae.*"])
    + ["tfvae.configs", "tfvae.configs.suites"],
    package_dir={"tfvae.configs": "configs"},
    package_data={"tfvae.data.assets": ["*.npz", "*.md"]},
    include_package_data=True,
    install_requires=[
        "tensorflow>=2.20,<2.22",
        "tensorflow-probability>=0.25,<0.26",
        # TFP 0.25 imports tf_keras at import time (without it: "No module named tf_keras").
        "tf-keras>=2.20,<2.22",
        "keras>=3.10,<4",
        "tensorflow-datasets>=4.9,<5",
        # TFDS imports it when it prepares a dataset (tfds.load("mnist") fails without).
        "importlib_resources>=5",
        "numpy>=1.26,<3",
        "absl-py>=2.1,<3",
        "ml-collections>=0.1.1,<2",
        "scipy>=1.11,<2",  # Caltech-101 Silhouettes .mat reader, Hungarian matching
        # tf.summary (the TensorBoard callback) needs the tensorboard package.
        "tensorboard>=2.20,<3",
    ],
    extras_require={
        "test": ["pytest>=8,<10", "tensorflow-serving-api>=2.20,<2.22"],
    },
    entry_points={
        "console_scripts": [
            "tfvae-train=tfvae.cli.train:run",
            "tfvae-evaluate=tfvae.cli.evaluate:run",
            "tfvae-sample=tfvae.cli.sample:run",
            "tfvae-export=tfvae.cli.export:run",
            "tfvae-benchmark=tfvae.cli.benchmark:run",
        ],
    },
)
