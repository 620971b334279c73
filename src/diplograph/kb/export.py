"""Writing store records as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

FORMATS = ("jsonl", "csv", "parquet")
_PARQUET_BATCH = 2000


def write_records(records: Iterable[dict[str, Any]], fmt: str, output: str | None) -> int:
    """Write ``records`` in ``fmt`` to the file ``output`` (stdout when None); return the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        if output is None:
            raise ValueError("parquet is binary: give an output file with -o FILE")
        return _write_parquet(records, Path(output))
    if output is None:
        return _WRITERS[fmt](records, sys.stdout)
    with open(output, "w", encoding="utf-8", newline="") as stream:
        return _WRITERS[fmt](records, stream)


def _write_jsonl(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _flat(value: Any) -> Any:
    """CSV cells: nested values as JSON text, None as empty."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _write_csv(records: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    writer: csv.DictWriter | None = None
    count = 0
    for record in records:
        if writer is None:
            writer = csv.DictWriter(stream, fieldnames=list(record))
            writer.writeheader()
        writer.writerow({key: _flat(value) for key, value in record.items()})
        count += 1
    return count


def _batches(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while batch := list(islice(iterator, _PARQUET_BATCH)):
        yield batch


def _write_parquet(records: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    # numeric columns that may be empty throughout the first batch
    _NUMERIC = {"value_number": pa.float64(), "score": pa.float64(), "confidence": pa.float64()}

    writer = None
    count = 0
    try:
        for batch in _batches(records):
            rows = [
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                    for k, v in record.items()
                }
                for record in batch
            ]
            if writer is None:
                table = pa.Table.from_pylist(rows)
                # columns that are empty in the first batch hold text later on
                schema = pa.schema(
                    pa.field(f.name, _NUMERIC.get(f.name, pa.string()))
                    if pa.types.is_null(f.type)
                    else f
                    for f in table.schema
                )
                writer = pq.ParquetWriter(path, schema)
            table = pa.Table.from_pylist(rows, schema=writer.schema)
            writer.write_table(table)
            count += len(batch)
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        pq.write_table(pa.table({}), path)
    return count


_WRITERS = {"jsonl": _write_jsonl, "csv": _write_csv}
