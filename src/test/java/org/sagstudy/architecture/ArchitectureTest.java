package org.sagstudy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.Path;
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(ArchitectureTest::tree)
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage(tree(LAYERS.get(i))).should().dependOnClassesThat()
                    .resideInAnyPackage(above).because(LAYERS.get(i) + " sits below " + Arrays.toString(above))
                    .check(project);
        }
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
        noClasses().that().resideOutsideOfPackages(tree("http"), tree("web")).and().areNotAnnotatedWith(Path.class)
                .and(DescribedPredicate.not(HAVE_REQUEST_FILTERS)).should().dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "io.vertx.core.http..", "org.jboss.resteasy..")
                .because("a service reports a refusal with a domain exception, which the http package's one mapper "
                        + "turns into a status")
                .check(project);
    }

    private static final DescribedPredicate<JavaClass> HAVE_REQUEST_FILTERS = new DescribedPredicate<>(
            "have request filters") {
        @Override
        public boolean test(JavaClass type) {
            return type.getMethods().stream().anyMatch(m -> m.isAnnotatedWith(ServerRequestFilter.class));
        }
    };

    private static String tree(String layer) {
        return "org.sagstudy." + layer + "..";
    }
}
