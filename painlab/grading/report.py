"""Pre-grading report: every problem in the collected submissions, before `nbgrader autograde`.

    cd autograded
    python -m painlab.grading.report 00-appraisal-basics          # list problems
    python -m painlab.grading.report 00-appraisal-basics --fix    # and fix what can be fixed

``--fix-renamed`` renames a single stray notebook that holds the quiz back to the expected name;
``--set-aside-corrupt`` moves corrupt notebooks to ``set-aside/<student>/<quiz>/`` so the rest of
the class (and the rest of that student's submission) still grades; ``--fix`` does both. Every fix
is logged in ``set-aside/fixes.jsonl``, and the grade export reports it.
Exit status 0; with ``--check``, 1 when something still blocks grading.
"""

import argparse
import json
import sys
from pathlib import Path

from painlab.grading import submissions as subs
from painlab.grading.course import default_course


def quizzes_of(course: Path, names: list[str]) -> list[str]:
    available = sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
    for name in names:
        if name not in available:
            raise SystemExit(f"no quiz {name!r} in {course / 'source'}; quizzes: "
                             f"{', '.join(available)}")
    return names or available


def format_report(course: Path, quiz: str, problems: dict[str, list[subs.Problem]],
                  fixed: list[str]) -> str:
    lines = [f"Pre-grading report for {quiz} (course folder {course})"]
    submitted = sorted(problems)
    roster = subs.roster(course)
    aside = [s for s in subs.set_aside_students(course, quiz) if s not in submitted]
    missing = [s for s in roster if s not in submitted and s not in aside]
    lines.append(f"Submissions in submitted/: {len(submitted)}" +
                 (f"; students in the gradebook: {len(roster)}" if roster else ""))
    if missing:
        lines.append(f"Not submitted ({len(missing)}): {', '.join(missing)}")
    if aside:
        lines.append(f"Set aside earlier (see {subs.SET_ASIDE}/): {', '.join(aside)}")
    blocking = [p for s in submitted for p in problems[s] if p.blocks]
    handled = [p for s in submitted for p in problems[s] if not p.blocks]
    width = max([len(s) for s in submitted] + [7])
    if blocking:
        lines += ["", "BLOCKS GRADING (this notebook is not graded until fixed):"]
        for p in blocking:
            fix = (f"  [fix: {p.fix}]" if p.fix else "  [ask the student to resubmit]"
                   if p.kind in (subs.CORRUPT, subs.MISSING_NOTEBOOK) else "  [fix by hand]")
            lines.append(f"  {p.student:<{width}}  {p.message}{fix}")
    if handled:
        lines += ["", "HANDLED AT AUTOGRADE (for your information):"]
        lines += [f"  {p.student:<{width}}  {p.message}" for p in handled]
    if fixed:
        lines += ["", "FIXED NOW:"] + [f"  {line}" for line in fixed]
    clean = [s for s in submitted if not problems[s]]
    fixable = sum(1 for p in blocking if p.fix)
    lines += ["", f"Summary: {len(blocking)} problem(s) block grading ({fixable} fixable with "
                  f"--fix), {len(handled)} handled at autograde, {len(clean)} submission(s) "
                  "without problems."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m painlab.grading.report",
        description="List every problem in the collected submissions of a quiz before "
                    "autograding, and fix what can be fixed.")
    parser.add_argument("quiz", nargs="*", help="quiz name(s); default: every quiz")
    parser.add_argument("--course", type=Path, default=None,
                        help="course folder (default: this folder if it holds "
                             "nbgrader_config.py, else the module's autograded/)")
    parser.add_argument("--fix-renamed", action="store_true",
                        help="rename a single stray notebook holding the quiz to the expected name")
    parser.add_argument("--set-aside-corrupt", action="store_true",
                        help=f"move corrupt notebooks to {subs.SET_ASIDE}/<student>/<quiz>/")
    parser.add_argument("--fix", action="store_true", help="both fixes")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    parser.add_argument("--check", action="store_true",
                        help="exit with status 1 when something still blocks grading")
    args = parser.parse_args(argv)
    course = (args.course or default_course()).resolve()
    blocking_left = False
    out = {}
    for quiz in quizzes_of(course, args.quiz):
        problems = subs.inspect_quiz(course, quiz)
        fixed = []
        if args.fix or args.fix_renamed or args.set_aside_corrupt:
            fixed = subs.apply_fixes(course, problems, renamed=args.fix or args.fix_renamed,
                                     corrupt=args.fix or args.set_aside_corrupt)
            if fixed:
                problems = subs.inspect_quiz(course, quiz)
        blocking_left |= any(p.blocks for ps in problems.values() for p in ps)
        if args.json:
            out[quiz] = {"problems": {s: [subs.as_dict(p) for p in ps]
                                      for s, ps in problems.items()}, "fixed": fixed}
        else:
            print(format_report(course, quiz, problems, fixed))
            print()
    if args.json:
        print(json.dumps(out, indent=2))
    return 1 if args.check and blocking_left else 0


if __name__ == "__main__":
    sys.exit(main())
