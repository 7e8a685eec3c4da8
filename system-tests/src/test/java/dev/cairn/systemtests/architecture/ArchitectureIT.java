package dev.cairn.systemtests.architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of the code base, checked on the compiled classes of every module (hence
 * an IT: the modules are built before this one). Each service stands alone; what two of them
 * share lives in {@code platform}, {@code ledger-core} or {@code key-protection}, which know no service; a controller
 * talks to its service's own classes, never to a database driver, a repository or a store.
 */
class ArchitectureIT {

    private static final List<String> SERVICES = List.of("gateway", "tenant", "wallet", "register", "validator", "blueprint", "peer");
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        Path root = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
        List<Path> outputs = Stream.of("ledger-core", "platform", "key-protection", "gateway", "tenant-service", "wallet-service", "register-service",
                "validator-service", "blueprint-service", "peer-service", "local-cluster")
                .map(module -> root.resolve(module).resolve("target/classes")).filter(Files::isDirectory).toList();
        assertThat(outputs).as("compiled classes of every module").hasSize(11);
        classes = new ClassFileImporter().importPaths(outputs);
        assertThat(classes.size()).isGreaterThan(300);
    }

    @Test
    void noServiceUsesAnotherServicesClasses() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service)).map(s -> "dev.cairn." + s + "..").toArray(String[]::new);
            ArchRule rule = noClasses().that().resideInAPackage("dev.cairn." + service + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services talk over HTTP; what two need lives in platform, ledger-core or key-protection");
            rule.check(classes);
        }
    }

    @Test
    void theSharedModulesKnowNoService() {
        String[] services = SERVICES.stream().map(s -> "dev.cairn." + s + "..").toArray(String[]::new);
        noClasses().that().resideInAnyPackage("dev.cairn.platform..", "dev.cairn.ledger..", "dev.cairn.keys..")
                .should().dependOnClassesThat().resideInAnyPackage(services).orShould()
                .dependOnClassesThat().resideInAPackage("dev.cairn.localcluster..")
                .because("platform, ledger-core and key-protection are shared by the services, never the other way round")
                .check(classes);
        noClasses().that().resideInAPackage("dev.cairn.ledger..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "dev.cairn.platform..")
                .because("ledger-core is the record rules in plain Java, for the offline verifier and other languages' readers")
                .check(classes);
    }

    @Test
    void controllersDoNotReachTheDatabase() {
        noClasses().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.springframework.data.mongodb.core..",
                        "org.springframework.jdbc..", "java.sql..", "org.springframework.data.redis.core..")
                .because("a controller turns HTTP into calls on its service's own classes, which own the stores")
                .check(classes);
    }

    @Test
    void controllersDoNotReachRepositoriesOrStores() {
        DescribedPredicate<JavaClass> repositories = DescribedPredicate.describe("repositories or stores (@Repository, *Repository, *Store)",
                c -> c.isAnnotatedWith(org.springframework.stereotype.Repository.class) || c.getSimpleName().endsWith("Repository")
                        || c.getSimpleName().endsWith("Store"));
        noClasses().that().areAnnotatedWith(org.springframework.web.bind.annotation.RestController.class)
                .should().dependOnClassesThat(repositories)
                .because("a controller checks and translates HTTP; what a request may read or change, and how, is its service's "
                        + "business (the records a store hands out may still pass through)")
                .check(classes);
    }

    @Test
    void theLauncherIsNotPartOfAnyService() {
        noClasses().that().resideInAnyPackage(SERVICES.stream().map(s -> "dev.cairn." + s + "..").toArray(String[]::new))
                .should().dependOnClassesThat().resideInAPackage("dev.cairn.localcluster..")
                .because("the local launcher starts the services; they must run the same without it")
                .check(classes);
    }
}
