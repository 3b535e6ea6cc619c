package org.sagstudy.database;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL that names states and kinds through their enums: {@code :running} in the text becomes {@code 'running'}, the
 * key the tables store (see {@link EnumKeys}), only for the constants passed, so that no state is spelled twice.
 */
public final class EnumSql {

    private EnumSql() {
    }

    public static String with(String sql, Enum<?>... values) {
        String text = sql;
        for (Enum<?> value : values) {
            String key = EnumKeys.key(value);
            // :key alone, not the start of a parameter such as :activeMinutes, nor a cast (::text)
            Matcher named = Pattern.compile("(?<![:\\w]):" + Pattern.quote(key) + "(?![\\w-])").matcher(text);
            if (!named.find()) {
                throw new IllegalArgumentException("the SQL names no :" + key);
            }
            text = named.replaceAll(Matcher.quoteReplacement("'" + key + "'"));
        }
        return text;
    }
}
