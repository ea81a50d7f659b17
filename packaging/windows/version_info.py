"""The Windows version resource of postdesk.exe / postdesk.com (Properties > Details),
built from app.__version__ so that the executable, the installer and the release tag
cannot disagree. Imported by postdesk.spec on Windows only."""
from __future__ import annotations

import bundle_config as cfg


def version_info():
    """A PyInstaller VSVersionInfo for the current version."""
    from PyInstaller.utils.win32.versioninfo import (FixedFileInfo, StringFileInfo, StringStruct, StringTable,
                                                     VarFileInfo, VarStruct, VSVersionInfo)
    numbers = cfg.version_tuple()
    text = cfg.version()
    strings = [
        StringStruct("CompanyName", "PostDesk"),
        StringStruct("FileDescription", "PostDesk editorial workstation"),
        StringStruct("FileVersion", text),
        StringStruct("InternalName", cfg.EXE_NAME),
        StringStruct("LegalCopyright", "MIT License"),
        StringStruct("OriginalFilename", cfg.EXE_NAME + ".exe"),
        StringStruct("ProductName", cfg.APP_NAME),
        StringStruct("ProductVersion", text),
    ]
    return VSVersionInfo(
        ffi=FixedFileInfo(filevers=numbers, prodvers=numbers, mask=0x3F, flags=0x0, OS=0x40004,
                          fileType=0x1, subtype=0x0, date=(0, 0)),
        kids=[
            StringFileInfo([StringTable("040904B0", strings)]),  # U.S. English, Unicode
            VarFileInfo([VarStruct("Translation", [0x0409, 1200])]),
        ],
    )
