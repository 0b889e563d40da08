"""Bulk index writes (imports, rebuilds): InvertingWriter sends the Chinese full-text fields
through inversion.py's numpy buffers and the rest through Whoosh's own path, writing the
same segment files; ParallelWriter runs it in Whoosh's worker processes."""

from __future__ import annotations

import pickle
import queue
from typing import Any

from whoosh.formats import Positions
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name
from whoosh.writing import SegmentWriter

from search.analysis import ChineseTokenizer
from search.engine.whoosh import whoosh_private
from search.engine.whoosh.inversion import FieldBuffer

# ~57,000 articles with grams (1,400 tokens each): 640 MB of token arrays, then a new segment
SEGMENT_TOKENS = 80_000_000


def inverts(field: Any) -> bool:
    """Whether a field is written here: a scorable, unstored Chinese text field with
    positions and nothing else (no vector, column or separate spelling words)."""
    return (
        type(field.analyzer) is ChineseTokenizer
        and type(field.format) is Positions
        and field.scorable
        and not field.stored
        and not field.vector
        and not field.column_type
        and not field.separate_spelling()
    )


class InvertingWriter(SegmentWriter):
    """Whoosh's SegmentWriter with the fields that inverts() accepts written by FieldBuffers.

    For the writes of one process into a new segment only: it merges no other segment
    (merged postings would come through the pool, beside the buffers)."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        unwritten = [n for n, f in ix.schema.items() if f.separate_spelling() or f.vector]
        if unwritten:  # before taking the lock
            raise ValueError(f"fields {unwritten}: spelling words and vectors are not written")
        super().__init__(ix, **kwargs)
        self.buffers = {
            name: FieldBuffer(field.format.field_boost)
            for name, field in self.schema.items()
            if inverts(field)
        }

    def tokens(self) -> int:
        """Tokens buffered so far (what the end of the segment will sort)."""
        return sum(len(b) for b in self.buffers.values())

    def add_document(self, **fields: Any) -> None:
        """SegmentWriter.add_document, with the buffered fields' terms kept out of the pool."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            buffer = self.buffers.get(fieldname)
            length = 0
            if buffer is not None:
                boost = self._field_boost(fields, fieldname, docboost)
                length = buffer.add(docnum, value, boost)
            elif field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                for tbytes, freq, weight, vbytes in field.index(value):
                    if field.scorable:
                        length += freq
                    add_post((fieldname, tbytes, docnum, weight * fieldboost, vbytes))
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("InvertingWriter merges no segments")

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_postings(
            self.schema, lengths, self.pool.iter_postings(), direct=self.buffers
        )
        self.fieldwriter.close()
        if lengths:
            lengths.close()
        self.buffers = {}


class _Task(SubWriterTask):
    """A worker process of ParallelWriter: InvertingWriters, a new segment every
    SEGMENT_TOKENS tokens; puts the list of its segments on the result queue."""

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        self.writer = InvertingWriter(ix, _lk=False, **self.kwargs)
        segments = []
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
            if self.writer.tokens() >= SEGMENT_TOKENS:
                segments.append(whoosh_private.finalize_segment(self.writer))
                self.writer = InvertingWriter(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        last = whoosh_private.finish_segment(self.writer)
        if last is not None:
            segments.append(last)
        self.resultqueue.put((None, None, segments), timeout=5)


class ParallelWriter(MpWriter):
    """Whoosh's MpWriter (multisegment) with _Task workers: each worker's documents end in
    segments of its own, kept as they are; this process deletes, merges and commits."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, multisegment=True, **kwargs)

    def _new_task(self) -> Any:
        task = _Task(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        """MpWriter._enqueue, without waiting forever on a full queue of dead workers."""
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _put(self, job: Any) -> None:
        while True:
            try:
                return self.jobqueue.put(job, timeout=1)
            except queue.Full:
                if not all(task.is_alive() for task in self.tasks):
                    SegmentWriter.cancel(self)
                    raise RuntimeError("an index writer process failed") from None

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        for task in self.tasks:
            task.join()
        failed = [task for task in self.tasks if task.exitcode != 0]
        if failed:
            SegmentWriter.cancel(self)
            raise RuntimeError(f"{len(failed)} index writer process(es) failed")
        for _ in self.tasks:
            finalsegments += self.resultqueue.get(timeout=5)[2]
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()
