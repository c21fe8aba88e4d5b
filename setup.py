"""Ship prompts/ (kept at the top of the repository, as data) inside the package as bot/_prompts."""

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithPrompts(build_py):
    """Copy prompts/ into the built package, so a regular (non-editable) install has them too."""

    def run(self) -> None:
        super().run()
        self.copy_tree("prompts", f"{self.build_lib}/bot/_prompts")


setup(cmdclass={"build_py": BuildWithPrompts})
