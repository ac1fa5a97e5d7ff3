"""Helper process for the crash test: append notes forever, printing each acknowledged index.

Rounds alternate between single submissions (checked inline by the sequencer)
and bulk appends large enough to be checked in worker processes, so a kill can
land in either path.
"""

import sys

from athar.ledger.entry import Entry
from athar.workspace import Workspace


def note(text: str) -> Entry:
    return Entry.create("note", {"text": text}, ws.admin_signer)


def ack(result) -> None:  # type: ignore[no-untyped-def]
    sys.stdout.write(f"{result.index} {result.leaf_hash.hex()}\n")
    sys.stdout.flush()


if __name__ == "__main__":
    ws = Workspace.open(sys.argv[1])
    log = ws.log()
    start = int(sys.argv[2])
    i = 0
    while True:
        if (i // 20) % 2:
            for r in log.append_many([note(f"crash {start}-{i + k}") for k in range(300)]):
                ack(r)
            i += 300
        else:
            futures = [log.submit(note(f"crash {start}-{i + k}")) for k in range(20)]
            for f in futures:
                ack(f.result())
            i += 20
