"""Any table written by a spreadsheet or a script comes back cell for cell, whatever its delimiter, quotes and
encoding."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kartei.transfer.mapping import looks_like_header
from kartei.transfer.reading import read_table

HEADER = ["Name", "Email", "Phone", "City"]
# Any text a cell can hold (no NUL: that is refused as not text), leading and trailing spaces aside.
cells = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30).map(str.strip)
tables = st.lists(st.lists(cells, min_size=4, max_size=4).filter(any), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=tables,
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_a_table_comes_back_cell_for_cell(tmp_path, rows, delimiter, encoding):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *rows])
    path = tmp_path / "table.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    table = read_table(path, looks_like_header=looks_like_header)
    assert table.header == HEADER and table.header_line == 1
    assert [cells for _line, cells in table.rows] == rows
