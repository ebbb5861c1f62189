#!/bin/sh
# Smoke test of the UOS / Kylin package: build the .deb (or take the one given), unpack it,
# check its layout, run the packaged CLI over every lazily loaded part, start the packaged
# window under Xvfb with a sample ledger and take screenshots.
#
#   packaging/test-deb.sh                 # build into $OUT (default /tmp/rectify-deb-test)
#   packaging/test-deb.sh path/to/x.deb   # test a .deb built before
#
# The package it builds is gzip-compressed (DEB_COMPRESSION=xz for the release's compression):
# the layout and the files are the same, and xz costs minutes of CPU here for a file that is
# unpacked once and deleted. Any failed step ends the script with a non-zero status.
#
# Needs: dpkg-deb, xvfb-run, xwininfo (x11-utils), import (imagemagick), and the project's
# virtualenv Python (PYTHON, default .venv/bin/python) to build and to write a .docx report.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
OUT=${OUT:-/tmp/rectify-deb-test}
APPID=org.rectify.tracker

T0=$(date +%s)
fail() { echo "FAIL: $* (after $(( $(date +%s) - T0 )) s)" >&2; exit 1; }
step() { echo "== $* (at $(( $(date +%s) - T0 )) s)"; }

mkdir -p "$OUT"
if [ $# -ge 1 ]; then
    DEB=$1
else
    step "build"
    "$PYTHON" "$REPO/packaging/build.py" --dist "$OUT/dist" --deb \
        --compression "${DEB_COMPRESSION:-gzip}"
    DEB=$(ls "$OUT"/dist/"$APPID"_*.deb | tail -n 1)
fi
[ -f "$DEB" ] || fail "no .deb at $DEB"
echo "package: $DEB ($(du -h "$DEB" | cut -f1))"

step "unpack and check the layout"
ROOT=$OUT/root
rm -rf "$ROOT" "$OUT/control"
dpkg-deb -x "$DEB" "$ROOT"
dpkg-deb -e "$DEB" "$OUT/control"
BASE=$ROOT/opt/apps/$APPID
APP=$BASE/files/rectify
[ -x "$APP" ] || fail "no executable at $APP"
[ -f "$BASE/info" ] || fail "no info file"
"$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['appid']=='$APPID', d" "$BASE/info"
[ -f "$BASE/entries/applications/$APPID.desktop" ] || fail "no .desktop under entries/applications"
grep -q "^Exec=/opt/apps/$APPID/files/rectify" "$BASE/entries/applications/$APPID.desktop" \
    || fail ".desktop Exec does not point into /opt/apps"
ls "$BASE"/entries/icons/hicolor/*/apps/"$APPID".* > /dev/null || fail "no icon under entries/icons"
# Nothing outside /opt/apps/<appid>, and no maintainer scripts that change the system.
OUTSIDE=$(cd "$ROOT" && find . -mindepth 1 -maxdepth 3 | grep -v "^\./opt\(/apps\(/$APPID\)\?\)\?$" \
          | grep -v "^\./opt/apps/$APPID/" || true)
[ -z "$OUTSIDE" ] || fail "files outside /opt/apps/$APPID: $OUTSIDE"
for script in preinst postinst prerm postrm; do
    [ ! -e "$OUT/control/$script" ] || fail "maintainer script $script present"
done
echo "layout ok: $(du -sh "$BASE/files" | cut -f1) installed"

step "packaged CLI"
WORK=$OUT/work
rm -rf "$WORK" && mkdir -p "$WORK/home"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
export RECTIFY_DB="$WORK/示例 台账.sqlite"
unset RECTIFY_UPDATE_CONFIG || true
run() { echo "\$ rectify $*"; "$APP" "$@"; }
START=$(date +%s.%N)
run --help > "$WORK/help.txt"
END=$(date +%s.%N)
echo "rectify --help: $(echo "$END - $START" | bc) s"
run demo
run list > "$WORK/list.txt"
[ "$(wc -l < "$WORK/list.txt")" -gt 10 ] || fail "list printed too little"
run summary
run check
run export "$WORK/导出 台账.xlsx"
[ -s "$WORK/导出 台账.xlsx" ] || fail "export wrote nothing"
UNIT=$("$APP" list --json | "$PYTHON" -c "import json,sys; print(json.load(sys.stdin)[0]['lead_unit'])")
run remind "$WORK/催办单.xlsx" --unit "$UNIT"
[ -s "$WORK/催办单.xlsx" ] || fail "remind wrote nothing"
# Another ledger: the export's hidden ids belong to the first one, so its problems come in as new.
run --db "$WORK/导入.sqlite" import-excel --as-new "$WORK/导出 台账.xlsx" | tail -n 2
[ "$("$APP" --db "$WORK/导入.sqlite" list --json | "$PYTHON" -c "import json,sys; print(len(json.load(sys.stdin)))")" = 120 ] \
    || fail "import-excel did not bring the 120 problems"
"$PYTHON" - "$REPO/tests/core/report_texts/feedback_letter.txt" "$WORK/反馈意见.docx" <<'EOF'
import sys
from docx import Document

doc = Document()
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    doc.add_paragraph(line)
doc.save(sys.argv[2])
EOF
run --db "$WORK/报告.sqlite" import-report "$WORK/反馈意见.docx"
if grep -q "^    report " "$WORK/help.txt"; then  # the Word report (python-docx, docxtpl)
    run report "$WORK/整改情况报告.docx"
    [ -s "$WORK/整改情况报告.docx" ] || fail "report wrote nothing"
fi
# Redirected output must never crash on a character outside the console's code page.
PYTHONIOENCODING=gbk run list > "$WORK/list-gbk.txt" || fail "list with a GBK stdout failed"

step "packaged window under Xvfb"
SHOTS=$OUT/screenshots
rm -rf "$SHOTS" && mkdir -p "$SHOTS"
cat > "$WORK/window.sh" <<EOF
#!/bin/sh
# Started by xvfb-run: the window on the sample ledger, then on an empty ledger (its question
# box shows Qt's standard buttons, which must be Chinese), then with a newer version announced.
# Each step waits for its window by title (no fixed sleeps: as quick as the machine allows,
# and a box that never comes fails the test instead of leaving a screenshot without it).
export QT_QPA_PLATFORM=xcb
# wait_for TITLE PID: until a window whose title starts with TITLE is mapped (at most 60 s).
wait_for() {
    i=0
    while ! xwininfo -root -tree 2>/dev/null | grep -q "\"\$1"; do
        i=\$((i + 1)); [ \$i -lt 600 ] || { echo "no window \$1 after 60 s"; cat "$WORK/window.log"; exit 1; }
        kill -0 \$2 2>/dev/null || { echo "window process died"; cat "$WORK/window.log"; exit 1; }
        sleep 0.1
    done
}
start=\$(date +%s.%N)
"$APP" --db "$RECTIFY_DB" > "$WORK/window.log" 2>&1 &
pid=\$!
wait_for 整改台账 \$pid
echo "window mapped after \$(echo "\$(date +%s.%N) - \$start" | bc) s"
sleep 3  # the table's rows and the side panel's counts arrive in the background
import -window root "$SHOTS/window.png"
kill -0 \$pid || { echo "window process died"; exit 1; }
kill \$pid; wait \$pid 2>/dev/null || true
"$APP" --db "$WORK/空 台账.sqlite" >> "$WORK/window.log" 2>&1 &
pid=\$!
wait_for 空台账 \$pid
sleep 1  # painted
import -window root "$SHOTS/empty-ledger-question.png"
kill \$pid; wait \$pid 2>/dev/null || true
# IT's update location holds a newer package: the window says so (and downloads nothing).
RECTIFY_UPDATE_CONFIG="$WORK/update.ini" "$APP" --db "$RECTIFY_DB" >> "$WORK/window.log" 2>&1 &
pid=\$!
wait_for 有新版本 \$pid
sleep 1
import -window root "$SHOTS/update-notice.png"
kill \$pid; wait \$pid 2>/dev/null || true
EOF
mkdir -p "$WORK/更新 共享"
: > "$WORK/更新 共享/${APPID}_99.0_amd64.deb"
printf '[update]\nlocation = %s\n' "$WORK/更新 共享" > "$WORK/update.ini"
chmod +x "$WORK/window.sh"
xvfb-run -a -s "-screen 0 1600x1000x24" "$WORK/window.sh"
for shot in window empty-ledger-question update-notice; do
    [ -s "$SHOTS/$shot.png" ] || fail "no screenshot $shot"
done
echo "screenshots: $SHOTS"
echo "OK: packaged smoke test passed in $(( $(date +%s) - T0 )) s"
