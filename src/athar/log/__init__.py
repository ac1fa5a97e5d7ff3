"""The log server: appends through the sequencer, checkpoints, proofs, audits and tiles.

:class:`~athar.log.server.Log` sequences signed entries into the Merkle tree
stored in the database (:mod:`athar.store`), calling each kind's hook
(:mod:`~athar.log.hooks`) in the append's transaction; identity entries are
its own (:mod:`~athar.log.identity`). :mod:`~athar.log.audit` re-checks a
stored log from scratch; :mod:`~athar.log.tiles_export` writes C2SP tiles.
"""
