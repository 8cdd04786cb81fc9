"""What the figures were measured on: the machine, its load and the versions."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from importlib import metadata

PACKAGES = [
    'Django',
    'graphene-django',
    'graphene',
    'graphql-core',
    'PyJWT',
    'djwto',
    'django-graphql-jwt',
    'gunicorn',
    'psycopg',
]


def _cpu_model() -> str:
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown'


def _memory_gib() -> str:
    try:
        with open('/proc/meminfo') as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f'{kib / 1024 / 1024:.1f} GiB'
    except (OSError, ValueError, IndexError):
        return 'unknown'


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return 'not installed'


def _tool_version(command: list[str]) -> str:
    if not shutil.which(command[0]):
        return 'not installed'
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).strip().splitlines()[0]


def load_average() -> str:
    return ' '.join(f'{value:.2f}' for value in os.getloadavg())


def describe() -> list[str]:
    """Return Markdown bullet lines describing this machine and the software measured."""
    return [
        f'- CPU: {_cpu_model()}, {os.cpu_count()} cores; memory {_memory_gib()}',
        f'- OS: {platform.platform()}',
        f'- Python {platform.python_version()} ({sys.implementation.name})',
        '- ' + ', '.join(f'{name} {_version(name)}' for name in PACKAGES),
        f'- {_tool_version(["wrk", "--version"])}',
        f'- {_tool_version(["psql", "--version"])}',
    ]
