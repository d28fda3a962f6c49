"""The machine description written beside every benchmark figure."""
from tfvae.benchmarks import machine

CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 9R14
flags\t\t: fpu sse2 avx512f avx512_bf16 lm
"""


def test_model_and_bf16_units_are_read_from_cpuinfo(tmp_path):
  path = tmp_path / "cpuinfo"
  path.write_text(CPUINFO)
  assert machine.cpu_model(str(path)) == "AMD EPYC 9R14"
  assert machine.cpu_flags(str(path)) == {"avx512_bf16": True, "amx_bf16": False}
  path.write_text(CPUINFO.replace("avx512_bf16", "amx_bf16 amx_tile"))
  assert machine.cpu_flags(str(path)) == {"avx512_bf16": False, "amx_bf16": True}


def test_a_missing_cpuinfo_falls_back(tmp_path):
  assert machine.cpu_flags(str(tmp_path / "none")) == {}
  assert isinstance(machine.cpu_model(str(tmp_path / "none")), str)
  described = machine.describe(load_average=True)
  assert described["cpus"] >= 1 and len(described["load_average"]) == 3
