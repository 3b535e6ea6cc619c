package org.sagstudy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.ws.rs.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The package order of docs/ARCHITECTURE.md: each package uses only those below it, the engine uses nothing of the
 * project or of a framework, and resources do not call each other.
 */
class ArchitectureTest {

    /** Bottom first. */
    static final List<String> LAYERS = List.of("explain", "problem", "model", "database", "http", "explanations", "jobs",
            "images", "study", "results", "web", "cli");

    private static JavaClasses project;

    @BeforeAll
    static void importProject() {
        project = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sagstudy");
    }

    @Test
    void everyPackageHasItsPlace() {
        classes().should().resideInAnyPackage(LAYERS.stream().map(ArchitectureTest::tree).toArray(String[]::new))
                .check(project);
    }

    @Test
    void noPackageUsesOneAboveIt() {
        layerRules().forEach(rule -> rule.check(project));
    }

    static List<ArchRule> layerRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(ArchitectureTest::tree)
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage(tree(LAYERS.get(i))).should().dependOnClassesThat()
                    .resideInAnyPackage(above).because(LAYERS.get(i) + " sits below " + Arrays.toString(above)));
        }
        return rules;
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.sagstudy.(*)..").should().beFreeOfCycles().check(project);
    }

    @Test
    void theEngineIsPlainJava() {
        classes().that().resideInAPackage(tree("explain")).should().onlyDependOnClassesThat()
                .resideInAnyPackage(tree("explain"), "java..", "javax.imageio..")
                .because("the engine runs anywhere: no framework, nothing of the server").check(project);
    }

    @Test
    void resourcesDoNotCallResources() {
        noClasses().that().areAnnotatedWith(Path.class).should().dependOnClassesThat().areAnnotatedWith(Path.class)
                .because("shared logic lives in services that both resources call").check(project);
    }

    /**
     * Services can be called from the command line and from tests without a request: only resources and request
     * filters speak HTTP outside the two packages that are about it ({@code http} below the features, {@code web} above).
     */
    @Test
    void onlyResourcesSpeakHttp() {
        ONLY_RESOURCES_SPEAK_HTTP.check(project);
    }

    @Test
    void theDatabaseIsReachedOneWay() {
        ONE_WAY_TO_THE_DATABASE.check(project);
    }

    @Test
    void columnsAreReadByName() {
        COLUMNS_BY_NAME.check(project);
    }

    @Test
    void everyTableIsNamedOnlyInThePackageThatOwnsIt() {
        assertEquals(List.of(), SqlScan.foreignTables(SqlScan.sources(MAIN_SOURCES)),
                "other packages go through the owner's store (docs/ARCHITECTURE.md)");
    }

    @Test
    void statesAndKindsInSqlComeFromTheirEnums() {
        assertEquals(List.of(), SqlScan.spelledStates(SqlScan.sources(MAIN_SOURCES)),
                "write :name and pass the constant to EnumSql.with");
    }

    /**
     * The rule fails, naming the fixture: a rule can also fail because it found no class to check, which would not
     * show that it catches anything.
     */
    private static void assertCaught(String fixture, Executable check) {
        AssertionError error = assertThrows(AssertionError.class, check);
        assertTrue(error.getMessage().contains(fixture), error.getMessage());
    }

    /** Each rule above, shown to fail on a deliberate violation (a rule that cannot fail keeps nothing). */
    @Test
    void theRulesCatchViolations() {
        JavaClasses violations = new ClassFileImporter().importClasses(
                org.sagstudy.explanations.fixtures.ReachesUp.class, org.sagstudy.study.fixtures.SpeaksHttp.class,
                org.sagstudy.study.fixtures.ReadsByPosition.class, org.sagstudy.study.fixtures.OpensAConnection.class);
        assertCaught("OpensAConnection", () -> ONE_WAY_TO_THE_DATABASE.check(violations));
        assertCaught("SpeaksHttp", () -> ONLY_RESOURCES_SPEAK_HTTP.check(violations));
        assertCaught("ReadsByPosition", () -> COLUMNS_BY_NAME.check(violations));
        assertCaught("ReachesUp", () -> layerRules().get(LAYERS.indexOf("explanations")).check(violations));
        assertEquals(List.of("org/sagstudy/study/Bad.java names image (owned by images)",
                "org/sagstudy/study/Bad.java names job (owned by jobs)"),
                SqlScan.foreignTables(Map.of("org/sagstudy/study/Bad.java", """
                        String sql = \"""
                            SELECT bytes FROM image
                            WHERE id = ?\""";
                        String other = "UPDATE job SET phase = ?";
                        String message = "cannot read answers from study " + id;""")));
        assertEquals(List.of(), SqlScan.foreignTables(Map.of("org/sagstudy/images/Fine.java",
                "String sql = \"SELECT bytes FROM image\";")), "the owner may");
        assertEquals(3, SqlScan.spelledStates(Map.of("org/sagstudy/jobs/Bad.java", """
                String sql = "UPDATE job SET state = 'done' WHERE state IN ('queued', 'running')";
                String other = "SELECT CASE WHEN x THEN 'failed' END";""")).size());
    }

    private static final java.nio.file.Path MAIN_SOURCES = java.nio.file.Path.of("src/main/java");

    private static final DescribedPredicate<JavaClass> HAVE_REQUEST_FILTERS = new DescribedPredicate<>(
            "have request filters") {
        @Override
        public boolean test(JavaClass type) {
            return type.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(ServerRequestFilter.class));
        }
    };

    /**
     * Services can be called from the command line and from tests without a request: only resources and request
     * filters speak HTTP outside the two packages that are about it ({@code http} below the features, {@code web}
     * above).
     */
    static final ArchRule ONLY_RESOURCES_SPEAK_HTTP = noClasses().that()
            .resideOutsideOfPackages(tree("http"), tree("web")).and().areNotAnnotatedWith(Path.class)
            .and(DescribedPredicate.not(HAVE_REQUEST_FILTERS)).should().dependOnClassesThat()
            .resideInAnyPackage("jakarta.ws.rs..", "io.vertx.core.http..", "org.jboss.resteasy..")
            .because("a service reports a refusal with a domain exception, which the http package's one mapper "
                    + "turns into a status");

    /**
     * A column read by its position breaks silently when the SELECT changes; by name it fails loudly. (The database
     * package's column mappers read the position JDBI hands them, which it found by name.)
     */
    static final ArchRule COLUMNS_BY_NAME = noClasses().that().resideOutsideOfPackage(tree("database")).should().callMethodWhere(DescribedPredicate.describe(
            "a ResultSet getter by column position", (JavaMethodCall call) -> call.getTargetOwner()
                    .isAssignableTo(ResultSet.class) && call.getName().startsWith("get")
                    && !call.getTarget().getRawParameterTypes().isEmpty()
                    && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(int.class)))
            .because("a reordered SELECT must not shift a value into the wrong field");

    /**
     * JDBI on the pool is the one way to the database; only the {@code database} package sees connections (its
     * listener holds one outside the pool for LISTEN).
     */
    static final ArchRule ONE_WAY_TO_THE_DATABASE = noClasses().that().resideOutsideOfPackage(tree("database"))
            .should().dependOnClassesThat().haveFullyQualifiedName("javax.sql.DataSource")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.Connection")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.PreparedStatement")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.Statement")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.sql.DriverManager")
            .orShould().dependOnClassesThat().resideInAnyPackage("jakarta.persistence..", "io.quarkus.hibernate..",
                    "io.quarkus.panache..")
            .because("SQL goes through JDBI (named parameters, rows read by column name), and a broken connection "
                    + "reaches the 503 path in one place");

    private static String tree(String layer) {
        return "org.sagstudy." + layer + "..";
    }
}
