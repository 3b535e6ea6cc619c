package org.sagstudy.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the SQL in the sources says, read from their string literals (text blocks included): which tables each
 * package names, and states or kinds spelled out instead of taken from their enums. SQL keywords are upper case in
 * this project, which keeps a message such as "read from study" from counting as SQL.
 */
final class SqlScan {

    /** Each table and the package that owns it (docs/ARCHITECTURE.md, "What each package owns"). */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("admin_user", "web"), Map.entry("admin_session", "web"),
            Map.entry("explanation", "explanations"), Map.entry("masked_confidence", "explanations"),
            Map.entry("job", "jobs"), Map.entry("image", "images"),
            Map.entry("study", "study"), Map.entry("study_item", "study"), Map.entry("study_member", "study"),
            Map.entry("study_deviation", "study"), Map.entry("participant_session", "study"),
            Map.entry("trial", "study"), Map.entry("answer", "study"), Map.entry("condition_balance", "study"));

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern TABLE = Pattern.compile(
            "\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+([a-z_]+)\\b");
    private static final Pattern SPELLED_STATE = Pattern.compile(
            "\\b(?:state|kind)\\s*(?:=|<>|IN\\s*\\()\\s*'[a-z_]+'|\\b(?:THEN|ELSE)\\s+'[a-z_]+'");

    private SqlScan() {
    }

    /** Every Java source under {@code root} by its path relative to it ({@code org/sagstudy/jobs/JobQueue.java}). */
    static Map<String, String> sources(Path root) {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sources.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sources;
    }

    /** "file names table (owned by package)" for each table a file outside the owning package names. */
    static List<String> foreignTables(Map<String, String> sources) {
        List<String> found = new ArrayList<>();
        sources.forEach((file, text) -> {
            String pkg = packageOf(file);
            for (String literal : literals(text)) {
                Matcher table = TABLE.matcher(literal);
                while (table.find()) {
                    String owner = OWNERS.get(table.group(1));
                    if (owner != null && !owner.equals(pkg)) {
                        found.add(file + " names " + table.group(1) + " (owned by " + owner + ")");
                    }
                }
            }
        });
        return found;
    }

    /** "file: 'text'" for each state or kind written out in SQL rather than taken from its enum. */
    static List<String> spelledStates(Map<String, String> sources) {
        List<String> found = new ArrayList<>();
        sources.forEach((file, text) -> {
            for (String literal : literals(text)) {
                Matcher state = SPELLED_STATE.matcher(literal);
                while (state.find()) {
                    found.add(file + ": " + state.group());
                }
            }
        });
        return found;
    }

    private static List<String> literals(String source) {
        List<String> literals = new ArrayList<>();
        Matcher block = TEXT_BLOCK.matcher(source);
        StringBuilder rest = new StringBuilder();
        while (block.find()) {
            literals.add(block.group(1));
            block.appendReplacement(rest, " ");
        }
        block.appendTail(rest);
        Matcher string = STRING.matcher(rest);
        while (string.find()) {
            literals.add(string.group(1));
        }
        return literals;
    }

    /** The feature package of {@code org/sagstudy/FEATURE/...}. */
    private static String packageOf(String file) {
        String[] parts = file.split("/");
        return parts.length > 3 ? parts[2] : "";
    }
}
