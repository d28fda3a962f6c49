"""What a benchmark ran on: CPU count, platform and the CPU's model and bf16 units.

Benchmark JSON and the suite tables carry it, so figures measured on different machines
(the project's machines change between sessions) are not compared by mistake.
"""
import os
import platform


def cpu_model(cpuinfo: str = "/proc/cpuinfo") -> str:
  """The CPU's model name (Linux ``/proc/cpuinfo``), else ``platform.processor()``."""
  try:
    with open(cpuinfo) as f:
      for line in f:
        if line.lower().startswith("model name"):
          return line.split(":", 1)[1].strip()
  except OSError:
    pass
  return platform.processor()


def cpu_flags(cpuinfo: str = "/proc/cpuinfo") -> dict:
  """Whether the CPU has bfloat16 matmul units: AVX512-BF16 and AMX tiles (Linux)."""
  try:
    with open(cpuinfo) as f:
      flags = next((line.split(":", 1)[1].split() for line in f
                    if line.lower().startswith("flags")), [])
  except OSError:
    return {}
  return {"avx512_bf16": "avx512_bf16" in flags, "amx_bf16": "amx_bf16" in flags}


def describe(load_average: bool = False) -> dict:
  """``{"cpus", "platform", "processor", "cpu_model", "bf16_units"}`` (and the load)."""
  out = {"cpus": os.cpu_count(), "platform": platform.platform(),
         "processor": platform.processor(), "cpu_model": cpu_model(),
         "bf16_units": cpu_flags()}
  if load_average:
    out["load_average"] = os.getloadavg()
  return out
