"""Tiny, offline dataset configs and shared model pieces for the families' tiny configs
(``tests/models/<family>/tiny_configs.py``, gathered by ``tests/families.py``)."""
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHEEP = os.path.join(os.path.dirname(REPO_ROOT), "shared", "data", "strokes",
                     "aaron_sheep_flat.npz")

MNIST = dict(name="binarized_mnist")
SEQ_MNIST = dict(name="seq_mnist", source="binarized_mnist", binarize="none", idx_dir="")
SHEEP_STROKES = dict(name="strokes", path=SHEEP, max_length=8, normalize="scale",
                     long="truncate")
TOY = dict(name="toy_two_gaussians", num_train=400, num_valid=100, num_test=100, seed=0)
ARCHITECTURES = dict(name="architectures", max_length=8, train_stride=8,
                     sources=("applications",), num_random=0, random_seed=0)
