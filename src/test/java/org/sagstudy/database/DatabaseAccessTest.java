package org.sagstudy.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.sagstudy.study.Condition;
import org.sagstudy.study.QuestionKind;

/** How enums travel through JDBI and {@link EnumSql}: by the key the tables' check constraints list. */
class DatabaseAccessTest {

    private static Jdbi jdbi() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(System.getenv().getOrDefault("TEST_DB_URL", "jdbc:postgresql://localhost:5432/study_test"));
        dataSource.setUser(System.getenv().getOrDefault("DB_USER", "study"));
        dataSource.setPassword(System.getenv().getOrDefault("DB_PASSWORD", "study"));
        return new DatabaseAccess().jdbi(dataSource);
    }

    @Test
    void enumsAreBoundAndReadByTheirKey() {
        Jdbi jdbi = jdbi();
        assertEquals("both-in-sag", jdbi.withHandle(handle -> handle.createQuery("SELECT CAST(:kind AS text)")
                .bind("kind", QuestionKind.BOTH_IN_SAG).mapTo(String.class).one()));
        assertEquals("gradcam", jdbi.withHandle(handle -> handle.createQuery("SELECT CAST(:condition AS text)")
                .bind("condition", Condition.GRADCAM).mapTo(String.class).one()));
        assertEquals(QuestionKind.BOTH_IN_SAG, jdbi.withHandle(handle -> handle.createQuery("SELECT 'both-in-sag'")
                .mapTo(QuestionKind.class).one()));
        assertThrows(RuntimeException.class, () -> jdbi.withHandle(handle -> handle.createQuery("SELECT 'BOTH_IN_SAG'")
                .mapTo(QuestionKind.class).one()), "a name is not a key");
    }

    @Test
    void enumSqlReplacesOnlyTheKeyItself() {
        assertEquals("WHERE state = 'open' AND minutes > :openMinutes AND x::open_type IS NULL",
                EnumSql.with("WHERE state = :open AND minutes > :openMinutes AND x::open_type IS NULL",
                        org.sagstudy.study.StudyState.OPEN));
        assertEquals("kind IN ('both-in-sag')", EnumSql.with("kind IN (:both-in-sag)", QuestionKind.BOTH_IN_SAG));
        assertThrows(IllegalArgumentException.class, () -> EnumSql.with("WHERE minutes > :openMinutes",
                org.sagstudy.study.StudyState.OPEN), "a key the SQL does not name is a mistake");
    }

    @Test
    void namedParametersTakeNullsAndComeInPairs() {
        java.util.Map<String, Object> parameters = NamedParameters.of("id", 7L, "error", null);
        assertEquals(7L, parameters.get("id"));
        assertTrue(parameters.containsKey("error") && parameters.get("error") == null);
        assertThrows(IllegalArgumentException.class, () -> NamedParameters.of("id", 7L, "worker"));
    }
}
