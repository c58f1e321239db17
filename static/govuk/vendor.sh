#!/usr/bin/env bash
# Re-vendor GOV.UK Frontend into static/govuk/ from the npm tarball (no Node build).
#
#   static/govuk/vendor.sh            # default version below
#   static/govuk/vendor.sh 6.7.0      # another 6.x release
#
# Needs: npm (only for `npm pack`), tar, sed, sha256sum. Writes only into this directory.
# What it changes in the upstream files (see README.md, which this script regenerates):
#   * removes the GDS Transport @font-face rules and the font's copyright comment (not a
#     GOV.UK service: no GOV.UK font) and
#     does not copy assets/fonts/;
#   * rewrites url(/assets/...) to url(/static/govuk/assets/...) in the CSS and manifest.json;
#   * strips the sourceMappingURL comments (the .map files are not vendored, and Django's
#     ManifestStaticFilesStorage fails collectstatic on references to missing files).
set -euo pipefail

VERSION="${1:-6.6.0}"
ASSET_URL="/static/govuk/assets"
DEST="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
TARBALL="$(npm pack --silent "govuk-frontend@${VERSION}" | tail -n 1)"
tar -xzf "$TARBALL"
SRC="$WORK/package/dist/govuk"
ACTUAL_VERSION="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package/package.json)"
TARBALL_SHA256="$(sha256sum "$TARBALL" | cut -d' ' -f1)"

rm -rf "$DEST/assets"
mkdir -p "$DEST/assets/images"

# CSS: drop GDS Transport @font-face blocks, rewrite asset URLs, drop source map comment.
sed -E \
  -e 's|/\*! Copyright \(c\) [0-9]+ by Margaret Calvert[^*]*\*/||' \
  -e 's/@font-face\{font-family:"?GDS Transport"?;[^}]*\}//g' \
  -e "s#url\\((['\"]?)/assets/#url(\\1${ASSET_URL}/#g" \
  -e 's|/\*# sourceMappingURL=[^*]*\*/||g' \
  "$SRC/govuk-frontend.min.css" > "$DEST/govuk-frontend.min.css"

# JS (ES module exporting initAll etc.): unchanged apart from the source map comment.
sed -E -e 's|//# sourceMappingURL=.*$||' \
  "$SRC/govuk-frontend.min.js" > "$DEST/govuk-frontend.min.js"

cp "$SRC"/assets/images/* "$DEST/assets/images/"
sed -E -e "s#\"/assets/#\"${ASSET_URL}/#g" "$SRC/assets/manifest.json" > "$DEST/assets/manifest.json"

# Sanity checks: no fonts referenced, no unrewritten asset URLs, no source maps.
if grep -q -e '@font-face' -e '/assets/fonts/' -e 'url(/assets/' -e 'sourceMappingURL' \
    "$DEST/govuk-frontend.min.css"; then
  echo "vendor.sh: CSS still references fonts, /assets/ or a source map" >&2
  exit 1
fi
grep -q 'export{.*initAll' "$DEST/govuk-frontend.min.js" || {
  echo "vendor.sh: govuk-frontend.min.js does not export initAll" >&2
  exit 1
}

# The npm tarball ships no LICENSE file; this is LICENSE.txt from alphagov/govuk-frontend
# (package.json: "license": "MIT").
cat > "$DEST/LICENSE" <<'EOF'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF

cat > "$DEST/README.md" <<EOF
# Vendored GOV.UK Frontend ${ACTUAL_VERSION}

- Source: npm package \`govuk-frontend@${ACTUAL_VERSION}\`
  (\`npm pack govuk-frontend@${ACTUAL_VERSION}\`, tarball sha256 \`${TARBALL_SHA256}\`),
  files taken from \`package/dist/govuk/\`.
- Licence: MIT, see \`LICENSE\` (copied from alphagov/govuk-frontend \`LICENSE.txt\`;
  the npm tarball itself does not include it). Documentation is under the Open Government Licence v3.0.
- Regenerate with \`static/govuk/vendor.sh [version]\`; do not edit these files by hand.

## Files

| File | From | Changes |
|---|---|---|
| \`govuk-frontend.min.css\` | \`dist/govuk/govuk-frontend.min.css\` | GDS Transport \`@font-face\` rules and the font copyright comment removed (text falls back to \`arial, sans-serif\`); \`url(/assets/...)\` rewritten to \`url(${ASSET_URL}/...)\`; \`sourceMappingURL\` comment removed |
| \`govuk-frontend.min.js\` | \`dist/govuk/govuk-frontend.min.js\` | \`sourceMappingURL\` comment removed. ES module: load with \`<script type="module">\` |
| \`assets/images/*\` | \`dist/govuk/assets/images/\` | none |
| \`assets/manifest.json\` | \`dist/govuk/assets/manifest.json\` | any \`"/assets/...\` paths rewritten to \`${ASSET_URL}/...\` (upstream paths are relative, so currently unchanged) |

Not vendored: \`assets/fonts/\` (GDS Transport), Sass sources, Nunjucks templates, source maps.

## Branding

This is not a GOV.UK service. GOV.UK's guidance allows using the Design System "with the exception of
branding (including logos and fonts)": so no GDS Transport font, and the templates must not use the
crown, the GOV.UK logo, \`govuk-header\`, the crest (\`govuk-crest.svg\`, used only by
\`.govuk-footer__copyright-logo\`) or the GOV.UK favicons/icons in \`assets/images/\`. The images are
kept only because the upstream CSS references \`govuk-crest.svg\` (collectstatic's manifest storage
needs the file to exist).
EOF

echo "Vendored govuk-frontend ${ACTUAL_VERSION} into ${DEST}"
