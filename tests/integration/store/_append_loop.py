"""Helper process for the crash test: append notes forever, printing each acknowledged index."""

import sys

from athar.ledger.entry import Entry
from athar.workspace import Workspace

if __name__ == "__main__":
    ws = Workspace.open(sys.argv[1])
    log = ws.log()
    start = int(sys.argv[2])
    i = 0
    while True:
        futures = [log.submit(Entry.create("note", {"text": f"crash {start}-{i + k}"},
                                           ws.admin_signer)) for k in range(20)]
        for f in futures:
            r = f.result()
            sys.stdout.write(f"{r.index} {r.leaf_hash.hex()}\n")
            sys.stdout.flush()
        i += 20
