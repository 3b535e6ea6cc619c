package org.sagstudy.database;

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
            if (!text.contains(":" + key)) {
                throw new IllegalArgumentException("the SQL names no :" + key);
            }
            text = text.replace(":" + key, "'" + key + "'");
        }
        return text;
    }
}
