package org.sagstudy.database;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.sql.Types;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.ColumnMapper;

/**
 * Enums are stored by their key, the values the tables' check constraints list: what the enum's {@code key()}
 * returns where it has one (the key that JSON and URLs use too), else the lower-case name.
 */
final class EnumKeys {

    private static final ClassValue<Map<String, Object>> CONSTANTS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byKey = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                byKey.put(key((Enum<?>) constant), constant);
            }
            return byKey;
        }
    };

    private EnumKeys() {
    }

    /** Each enum type's {@code key()} method, or empty when it has none that returns a String. */
    private static final ClassValue<Optional<Method>> KEY_METHODS = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            try {
                Method key = type.getMethod("key");
                return key.getReturnType() == String.class && key.trySetAccessible() ? Optional.of(key)
                        : Optional.empty();
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
        }
    };

    static String key(Enum<?> constant) {
        Optional<Method> key = KEY_METHODS.get(constant.getDeclaringClass());
        if (key.isEmpty()) {
            return constant.name().toLowerCase(Locale.ROOT);
        }
        try {
            return (String) key.get().invoke(constant);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the key of " + constant, e);
        }
    }

    /** Binds an enum by its key (a preparable factory: JDBI asks those before the plain ones, its own included). */
    static final ArgumentFactory.Preparable ARGUMENTS = new ArgumentFactory.Preparable() {
        @Override
        public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
            if (!GenericTypes.getErasedType(type).isEnum()) {
                return Optional.empty();
            }
            return Optional.of(value -> {
                String key = value == null ? null : key((Enum<?>) value);
                return (position, statement, context) -> {
                    if (key == null) {
                        statement.setNull(position, Types.VARCHAR);
                    } else {
                        statement.setString(position, key);
                    }
                };
            });
        }
    };

    static Optional<ColumnMapper<?>> columnMapper(Type type, ConfigRegistry config) {
        Class<?> erased = GenericTypes.getErasedType(type);
        if (!erased.isEnum()) {
            return Optional.empty();
        }
        return Optional.of((row, column, context) -> {
            String key = row.getString(column);
            if (key == null) {
                return null;
            }
            Object constant = CONSTANTS.get(erased).get(key);
            if (constant == null) {
                throw new IllegalStateException("no " + erased.getSimpleName() + " has the key '" + key + "'");
            }
            return constant;
        });
    }
}
