"""zhclean as a datatrove pipeline step.

    python datatrove_step.py INPUT_DIR OUTPUT_DIR [--convert s2t] [--tasks 2]

Reads the JSONL files of INPUT_DIR (a ``text`` field per record), cleans the
text of each document a batch at a time with ``Cleaner.clean_batch`` (GIL
released, all cores of the task), and writes JSONL to OUTPUT_DIR. The
cleaner is built in the step's constructor; datatrove pickles the step to
its tasks, and a ``Cleaner`` pickles by its config.
"""

import argparse
from itertools import islice

import zhclean
from datatrove.pipeline.base import PipelineStep


class ZhClean(PipelineStep):
    """Cleans ``doc.text`` of every document (any ``Cleaner`` options)."""

    name = "zhclean"
    type = "Formatter"

    def __init__(self, batch_size: int = 1024, **options):
        super().__init__()
        self.cleaner = zhclean.Cleaner(**options)
        self.batch_size = batch_size

    def run(self, data, rank: int = 0, world_size: int = 1):
        while batch := list(islice(data, self.batch_size)):
            cleaned = self.cleaner.clean_batch([d.text for d in batch])
            for doc, text in zip(batch, cleaned):
                if text != doc.text:
                    self.stat_update("changed")
                doc.text = text
                yield doc


def main() -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--convert", default=None, help="OpenCC config, e.g. s2t")
    p.add_argument("--tasks", type=int, default=2)
    p.add_argument("--logs", default=None, help="datatrove logging dir")
    args = p.parse_args()
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(args.input),
            ZhClean(convert=args.convert),
            JsonlWriter(args.output, compression=None),
        ],
        tasks=args.tasks,
        logging_dir=args.logs,
    ).run()


if __name__ == "__main__":
    main()
