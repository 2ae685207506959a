#!/usr/bin/env bash
# Fetch Odoo 19 Community as Debian's `odoo-19` package (suite sid) and extract it,
# with the font and JavaScript packages its +dfsg symlinks point into, under
# .cache/odoo-19. Nothing is installed on the system: apt runs on a private state
# folder, reusing the Debian mirror this machine is already configured with.
set -euo pipefail
# shellcheck source=setup/env.sh
source "$(dirname "$0")/env.sh"
B2B_STEP="2/5 Odoo 19 Community (download)"

apt_dir=$B2B_CACHE/apt
debs=$B2B_CACHE/debs
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$debs"

# The machine's own Debian mirror: deb822 sources first, then the one-line format.
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' "$f")
    [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb +(\[[^]]*\] +)?[a-z]+://[^ ]+ +bookworm +' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
          | head -1 | sed -E 's/^deb +(\[[^]]*\] +)?([^ ]+).*/\2/')
fi
[ -n "$uri" ] || fail "no Debian bookworm mirror found in /etc/apt/sources.list(.d)" \
    "configure apt for Debian bookworm, or set ODOO_SRC to an Odoo 19 checkout"

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
cat > "$apt_dir/sources.list" <<EOF
deb [signed-by=$keyring] $uri sid main
deb [signed-by=$keyring] $uri bookworm main
EOF
apt_opts=(
    -o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::State::status=/var/lib/dpkg/status" -o APT::Get::List-Cleanup=0
)
if [ "$(id -u)" != 0 ]; then
    apt_opts+=(-o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)")
fi

if [ ! -f "$apt_dir/.updated" ]; then
    echo "reading the package lists of sid and bookworm (private apt state in $apt_dir)"
    apt-get -qq "${apt_opts[@]}" update \
        || fail "apt-get update on the private state failed" "check the network to the Debian mirror, then re-run"
    touch "$apt_dir/.updated"
fi

# odoo-19 from sid; the packages its symlinks point into (see shared/odoo19-runtime.md)
wanted=(odoo-19/sid libjs-jquery/bookworm libjs-underscore/bookworm libjs-jquery-form/bookworm
        fonts-font-awesome/bookworm fonts-roboto-unhinted/bookworm fonts-inconsolata/bookworm
        fonts-ocr-b/bookworm fonts-glyphicons-halflings/bookworm fonts-montserrat/sid)
cd "$debs"
for spec in "${wanted[@]}"; do
    name=${spec%/*}
    if ls "${name}"_*.deb >/dev/null 2>&1; then continue; fi
    echo "downloading $name"
    apt-get -qq "${apt_opts[@]}" download "$spec" \
        || fail "apt-get download $spec failed" "check that Debian still carries $spec, then re-run"
done

rm -rf "$B2B_ODOO_ROOT.partial"
mkdir -p "$B2B_ODOO_ROOT.partial"
for deb in "$debs"/*.deb; do
    echo "extracting $(basename "$deb")"
    dpkg -x "$deb" "$B2B_ODOO_ROOT.partial" || fail "dpkg -x $deb failed" "delete $deb and re-run"
done
[ -f "$B2B_ODOO_ROOT.partial/usr/lib/python3/dist-packages/odoo/release.py" ] \
    || fail "the odoo-19 package holds no odoo/release.py" "delete $debs and re-run"
rm -rf "$B2B_ODOO_ROOT"
mv "$B2B_ODOO_ROOT.partial" "$B2B_ODOO_ROOT"
touch "$B2B_ODOO_ROOT/.complete"
echo "Odoo 19 extracted in $B2B_ODOO_ROOT"
