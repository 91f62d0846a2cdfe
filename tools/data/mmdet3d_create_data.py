"""mmdet3d's own dataset converter (``tools/create_data.py`` of mmdet3d), run from the copy
its wheel ships under ``mmdet3d/.mim/tools``, so no mmdet3d checkout is needed.

    python tools/data/mmdet3d_create_data.py scannet --root-path data/scannet \
        --out-dir data/scannet --extra-tag scannet
    python tools/data/mmdet3d_create_data.py semantickitti --root-path data/semantickitti \
        --out-dir data/semantickitti --extra-tag semantickitti

Arguments are mmdet3d's; ``--root-path`` and ``--out-dir`` may be relative to here.
"""
import os
import os.path as osp
import subprocess
import sys

PATH_OPTIONS = ('--root-path', '--out-dir')


def create_data(args: list) -> None:
    """Run mmdet3d's create_data.py with ``args`` (raises CalledProcessError on failure)."""
    import mmdet3d
    tools = osp.join(osp.dirname(mmdet3d.__file__), '.mim')
    script = osp.join(tools, 'tools', 'create_data.py')
    if not osp.isfile(script):
        raise SystemExit(f'error: {script}: not found (this mmdet3d wheel ships no tools)')
    args = [osp.abspath(value) if i and args[i - 1] in PATH_OPTIONS else value
            for i, value in enumerate(args)]
    subprocess.run([sys.executable, 'tools/create_data.py', *args], check=True, cwd=tools,
                   env=dict(os.environ, PYTHONPATH=tools))


if __name__ == '__main__':
    if len(sys.argv) < 2 or sys.argv[1] in ('-h', '--help'):
        print(__doc__)
        sys.exit(0)
    try:
        create_data(sys.argv[1:])
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)
