"""The machine's TrueType fonts a label is printed in (DejaVu, Liberation): found by file
name under the usual font folders, by role (regular, bold, mono, serif, condensed)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")

ROLES: dict[str, tuple[str, ...]] = {
    "sans": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf"),
    "sans_bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "LiberationSansNarrow-Regular.ttf"),
    "condensed_bold": ("DejaVuSansCondensed-Bold.ttf", "LiberationSansNarrow-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"),
    "mono_bold": ("DejaVuSansMono-Bold.ttf", "LiberationMono-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf"),
    "serif_bold": ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf"),
}


class NoFonts(RuntimeError):
    """No TrueType font of the list is installed: the photos cannot be printed."""


@dataclass(frozen=True)
class Fonts:
    by_role: dict[str, tuple[Path, ...]]  # role -> installed files, in ROLES order
    any: tuple[Path, ...]  # every installed file of the list (for background text)

    def pick(self, role: str, choose) -> Path:
        """A font of the role (`choose` picks one from a sequence, e.g. `rng.choice`); a
        missing role falls back to the plain sans, then to any installed font."""
        return choose(self.by_role.get(role) or self.by_role.get("sans") or self.any)


def find_fonts(dirs: tuple[Path, ...] = FONT_DIRS) -> Fonts:
    installed = {path.name: path for folder in dirs if folder.is_dir() for path in sorted(folder.rglob("*.ttf"))}
    by_role = {
        role: found for role, names in ROLES.items() if (found := tuple(installed[n] for n in names if n in installed))
    }
    every = tuple(dict.fromkeys(path for paths in by_role.values() for path in paths))
    if not every:
        wanted = ", ".join(sorted({n for names in ROLES.values() for n in names}))
        raise NoFonts(
            f"no TrueType font for the label photos under {', '.join(map(str, dirs))}; install one of: {wanted} "
            "(e.g. `apt-get install fonts-dejavu-core fonts-liberation`)"
        )
    return Fonts(by_role, every)


@lru_cache(maxsize=256)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size)
