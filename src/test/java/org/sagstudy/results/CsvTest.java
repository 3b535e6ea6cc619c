package org.sagstudy.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void cellsAreQuotedAndFormulasDefused() {
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", Csv.cell("=HYPERLINK(\"x\")"));
        assertEquals("\"'=1+2,3\"", Csv.cell("=1+2,3"));
        assertEquals("'@SUM(A1)", Csv.cell("@SUM(A1)"));
        assertEquals("'-cmd", Csv.cell("-cmd"));
        assertEquals("-0.25", Csv.cell(-0.25), "numbers stay numbers");
        assertEquals("\"a \"\"b\"\"\"", Csv.cell("a \"b\""));
        assertEquals("\"two\nlines\"", Csv.cell("two\nlines"));
        assertEquals("", Csv.cell(null));
        assertEquals("2026-11-26T10:00:00Z", Csv.cell(OffsetDateTime.parse("2026-11-26T11:00:00+01:00")));
        double stored = 0.9154388308525085;
        assertEquals(stored, Double.parseDouble(Csv.cell(stored)), 0.0, "doubles read back exactly");
    }

    @Test
    void rowsFollowTheColumns() throws Exception {
        List<Csv.Column<String[]>> columns = List.of(new Csv.Column<>("a", "first", r -> r[0]),
                new Csv.Column<>("b", "second", r -> r[1]));
        StringWriter out = new StringWriter();
        Csv.header(out, columns);
        Csv.row(out, columns, new String[] {"x", "+y"});
        assertEquals("a,b\r\nx,'+y\r\n", out.toString());
    }

    @Test
    void theCodebookDescribesEveryColumn() {
        String codebook = ExportColumns.codebook();
        for (List<? extends Csv.Column<?>> columns : List.of(ExportColumns.ANSWERS, ExportColumns.PARTICIPANTS,
                ExportColumns.ITEMS)) {
            for (Csv.Column<?> column : columns) {
                assertEquals(true, codebook.contains("| " + column.name() + " | " + column.description() + " |"),
                        column.name());
            }
        }
    }
}
