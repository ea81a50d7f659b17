#!/usr/bin/env bash
# make_dmg.sh APP DMG: a compressed disk image holding APP (dist/PostDesk.app) and a
# link to /Applications, so that installing is dragging one onto the other.
# macOS only (hdiutil). Called by `python packaging/build.py --installer`.
#
# With CODESIGN_IDENTITY set (a "Developer ID Application: ..." certificate in the
# keychain), the app is signed with the hardened runtime before it is packed, and the
# image after; notarisation (xcrun notarytool) is a separate, credentialed step.
set -euo pipefail
app=${1:?usage: make_dmg.sh APP DMG}
dmg=${2:?usage: make_dmg.sh APP DMG}
[ -d "$app/Contents/MacOS" ] || { echo "make_dmg.sh: not an app bundle: $app" >&2; exit 1; }
name=$(basename "$app" .app)

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" "$app"
  codesign --verify --deep --strict "$app"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
ditto "$app" "$stage/$name.app"          # ditto keeps symlinks, permissions and signatures
ln -s /Applications "$stage/Applications"

rm -f "$dmg"
hdiutil create -volname "$name" -srcfolder "$stage" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"
[ -z "${CODESIGN_IDENTITY:-}" ] || codesign --force --timestamp --sign "$CODESIGN_IDENTITY" "$dmg"
echo "$dmg: $(du -h "$dmg" | cut -f1)"
