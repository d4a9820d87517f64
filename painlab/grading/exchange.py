"""On a hub, collect only what each student submitted themselves.

nbgrader's exchange files a submission under the student id the submitting user *claims*
(``nbgrader submit --student=<anyone>``), and ``collect`` takes each id's latest submission.
With ``ExchangeCollect.check_owner`` it only warns when the folder belongs to another user
("cheating attempt?") and collects it all the same: a student can replace a classmate's work
with their own (a blank quiz, say) just before the deadline.

``OwnerCheckedCollect`` (``ExchangeFactory.collect`` in the course's nbgrader_config.py) does
what the warning asks: with ``check_owner`` on (a hub, where every student is a user of their
own), a submission whose folder is owned by another user is not collected, the error names it,
and that student's latest submission of their own is collected instead. With ``check_owner``
off (a laptop, where everyone is the same user) it is nbgrader's collect.
"""

import glob
import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


def owner_of(path: str) -> str:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except KeyError:
        return "an unknown user"


class OwnerCheckedCollect(ExchangeCollect):
    def init_src(self):
        super().init_src()
        if not self.check_owner:
            return
        kept = []
        for record in self.src_records:
            student = record["username"]
            if owner_of(os.path.join(self.inbound_path, record["filename"])) == student:
                kept.append(record)
                continue
            pattern = os.path.join(self.inbound_path,
                                   f"{glob.escape(student)}+{self.coursedir.assignment_id}+*")
            records = [self._path_to_record(path) for path in glob.glob(pattern)]
            for other in self._sort_by_timestamp(records):
                path = os.path.join(self.inbound_path, other["filename"])
                if owner_of(path) != student:
                    self.log.error("Not collected: %s claims to be %s's submission but belongs "
                                   "to %s.", other["filename"], student, owner_of(path))
            own = [r for r in self._sort_by_timestamp(records)
                   if owner_of(os.path.join(self.inbound_path, r["filename"])) == student]
            if own:
                kept.append(own[0])
        self.src_records = kept

    def copy_files(self):
        # nbgrader's own owner check only warns; every record left here is the student's own
        check, self.check_owner = self.check_owner, False
        try:
            super().copy_files()
        finally:
            self.check_owner = check
