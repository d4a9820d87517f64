#!/usr/bin/env bash
# Sets up the refractory-pain course on a JupyterHub machine. Run as root from the module's
# checkout (kept private: it holds the answers) after `make .venv/.installed`:
#     INSTRUCTOR=<login> bash docs/hub/setup-course.sh
# Safe to run again (it rebuilds the students' copy and keeps the instructor's course).
# The instructor guide shows this file; tests/hub/test_hub.py runs it.
set -euo pipefail

INSTRUCTOR=${INSTRUCTOR:?set INSTRUCTOR to the instructor\'s login name}
# A real hub leaves COURSE_HUB_PREFIX unset (the system's /opt and /srv).
PREFIX=${COURSE_HUB_PREFIX:-}
CHECKOUT=$(cd "$(dirname "$0")/../.." && pwd)
ENV=$PREFIX/opt/refractory-pain/env
COPY=$PREFIX/srv/refractory-pain
EXCHANGE=$PREFIX/srv/nbgrader/exchange
COURSE_ID=refractory-pain
GROUPS_ALLOWED="refractory-pain-students refractory-pain-instructors"

# 1. The students' copy: lessons, assets, the helper package and the released quizzes, without
#    the quiz sources, answer keys or rubrics; the build stops if it finds an answer in it.
#    QUIZZES (optional) limits it to some quizzes.
rm -rf "$COPY.new"
quiz_args=()
for quiz in ${QUIZZES:-}; do quiz_args+=(--quiz "$quiz"); done
"$CHECKOUT/.venv/bin/python" -m painlab.grading.distribution "$COPY.new" "${quiz_args[@]}"
rm -rf "$COPY"
mv "$COPY.new" "$COPY"
chmod -R a+rX,go-w "$COPY"

# 2. One environment for everyone, from Debian's python3 (which every user can run): the hub,
#    JupyterLab, nbgrader and the helper package from the students' copy; the student view.
[ -x "$ENV/bin/python" ] || /usr/bin/python3 -m venv "$ENV"
"$ENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$COPY[hub]"
"$ENV/bin/python" -m painlab.setup_views student
chmod -R a+rX,go-w "$COPY"  # again: setup_views wrote the package's bytecode there
cat > "$ENV/etc/jupyter/nbgrader_config.py" <<CONFIG
c = get_config()
c.CourseDirectory.course_id = "$COURSE_ID"
c.Exchange.root = "$EXCHANGE"
CONFIG
chmod -R a+rX,go-w "$ENV"

# 3. The exchange. Everyone may create folders at its top (the sticky bit: nobody may remove
#    another's), and the course's folder belongs to the instructor before a student could
#    create it; nbgrader sets the modes below it at release (inbound 2733, outbound 755).
mkdir -p "$EXCHANGE"
chmod 1777 "$EXCHANGE"
install -d -o "$INSTRUCTOR" -g "$(id -gn "$INSTRUCTOR")" -m 755 "$EXCHANGE/$COURSE_ID"

# 4. Home folders readable by their owner only: they hold each student's copies of the quizzes
#    and nbgrader's cache of their submissions.
for group in $GROUPS_ALLOWED; do
  for user in $(getent group "$group" | cut -d: -f4 | tr , ' '); do
    chmod 700 "$(getent passwd "$user" | cut -d: -f6)"
  done
done

# 5. The instructor's course: the quiz sources in their home, readable by them alone, and the
#    instructor view (formgrader) with the course's configuration for their account only.
#    check_owner: on a hub, collect warns about a submission filed under another's name.
HOME_DIR=$(getent passwd "$INSTRUCTOR" | cut -d: -f6)
COURSE_DIR=$HOME_DIR/refractory-pain-course
if [ ! -e "$COURSE_DIR" ]; then
  mkdir -p "$COURSE_DIR"
  cp "$CHECKOUT/autograded/nbgrader_config.py" "$COURSE_DIR/"
  cp -r "$CHECKOUT/autograded/source" "$COURSE_DIR/"
  chown -R "$INSTRUCTOR:$(id -gn "$INSTRUCTOR")" "$COURSE_DIR"
  chmod -R go-rwx "$COURSE_DIR"
fi
runuser -u "$INSTRUCTOR" -- env HOME="$HOME_DIR" "$ENV/bin/python" -m painlab.setup_views instructor --user
runuser -u "$INSTRUCTOR" -- tee "$HOME_DIR/.jupyter/nbgrader_config.py" >/dev/null <<CONFIG
c = get_config()
load_subconfig("$COURSE_DIR/nbgrader_config.py")
c.ExchangeCollect.check_owner = True
CONFIG
runuser -u "$INSTRUCTOR" -- env HOME="$HOME_DIR" "$ENV/bin/python" -m painlab.grading.sandbox --check
