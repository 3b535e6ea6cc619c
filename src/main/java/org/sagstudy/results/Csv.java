package org.sagstudy.results;

import java.io.IOException;
import java.io.Writer;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

/**
 * CSV (RFC 4180, UTF-8) from column definitions; the same definitions write the codebook. Text that a spreadsheet
 * would run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, and text
 * with a separator of any locale (comma, semicolon, tab) is quoted, so no part of it can become a cell; numbers
 * are written as numbers, doubles in Java's shortest exact form (they read back to the stored value).
 */
public final class Csv {

    /** A column: its header, what it means (for the codebook), and how to read it from a row. */
    public record Column<R>(String name, String description, Function<R, Object> value) {
    }

    private Csv() {
    }

    public static <R> void header(Writer out, List<Column<R>> columns) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            out.write((i == 0 ? "" : ",") + columns.get(i).name());
        }
        out.write("\r\n");
    }

    public static <R> void row(Writer out, List<Column<R>> columns, R row) throws IOException {
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(cell(columns.get(i).value().apply(row)));
        }
        out.write("\r\n");
    }

    /** One cell: quoted when needed, and a leading formula character defused with a quote (spreadsheets run them). */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d && d.isNaN()) {
            return "";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof OffsetDateTime time) {
            return time.toInstant().toString();
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        // ";" and tab: a spreadsheet in a locale that splits on them would otherwise start a new cell (a formula) there
        if (text.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r' || c == ';' || c == '\t')) {
            text = "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
