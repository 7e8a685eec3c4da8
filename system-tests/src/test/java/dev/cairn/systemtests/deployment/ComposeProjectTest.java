package dev.cairn.systemtests.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The compose project keeps the promises an operator relies on: every replica is
 * interchangeable and scalable, nothing starts before what it needs is healthy, every file
 * it mounts exists, and every variable it reads is documented in .env.example. That every
 * setting it passes to a Cairn service is one the service reads is checked against the packaged
 * services, by {@link ComposeSettingsIT}.
 */
class ComposeProjectTest {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("compose");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::?[-?+][^}]*)?}");

    private final ComposeProject project = new ComposeProject(COMPOSE);

    @Test
    void everyCairnServiceAndTheGatewayIsThere() {
        assertThat(project.services.keySet().stream().filter(project::isCairn)).containsExactlyInAnyOrder(
                "gateway", "tenant-service", "wallet-service", "register-service", "validator-service",
                "blueprint-service", "peer-service");
    }

    @Test
    void cairnServicesScaleFreely() {
        for (String name : project.cairnServices()) {
            Map<String, Object> service = project.services.get(name);
            assertThat(service).as("%s: a fixed host port or container name stops --scale", name)
                    .doesNotContainKeys("ports", "container_name", "hostname");
            String module = String.valueOf(ComposeProject.map(ComposeProject.map(service.get("build")).get("args")).get("MODULE"));
            assertThat(ROOT.resolve(module).resolve("pom.xml")).as("%s builds module %s", name, module).isRegularFile();
            assertThat(String.valueOf(service.get("image"))).as(name).startsWith("cairn/" + module + ":");
            Map<String, Object> environment = ComposeProject.map(service.get("environment"));
            assertThat(environment.keySet()).as("%s: instance ids come from the host name", name)
                    .doesNotContain("CAIRN_INSTANCEID", "CAIRN_INSTANCE_ID", "SERVER_PORT");
        }
    }

    @Test
    void onlyNginxPublishesPortsAndStoresOnlyOnLoopback() {
        for (Map.Entry<String, Map<String, Object>> entry : project.services.entrySet()) {
            Object ports = entry.getValue().get("ports");
            if (ports == null || entry.getKey().equals("nginx")) {
                continue;
            }
            assertThat((List<?>) ports).as("%s publishes a port only on 127.0.0.1, for operators", entry.getKey())
                    .allSatisfy(port -> assertThat(String.valueOf(port)).startsWith("127.0.0.1:"));
        }
        assertThat(project.services.get("nginx")).containsKey("ports");
    }

    @Test
    void everyLongRunningServiceHasAHealthCheckAndRestarts() {
        project.services.forEach((name, service) -> {
            if (project.isJob(name)) {
                return;
            }
            assertThat(service).as("%s needs a healthcheck: others wait for it to be healthy", name).containsKey("healthcheck");
            assertThat(ComposeProject.map(service.get("healthcheck")).get("test")).as(name).isNotNull();
            assertThat(String.valueOf(service.get("restart"))).as(name).isEqualTo("unless-stopped");
        });
    }

    @Test
    void everyServiceHasAMemoryLimit() {
        project.services.forEach((name, service) -> {
            Map<String, Object> limits = ComposeProject.map(ComposeProject.map(
                    ComposeProject.map(service.get("deploy")).get("resources")).get("limits"));
            assertThat(limits.get("memory")).as("%s: without a limit one leak takes the host down", name).isNotNull();
        });
    }

    @Test
    void dependenciesWaitForHealthOrCompletion() {
        project.services.forEach((name, service) -> {
            Object dependsOn = service.get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertThat(dependsOn).as("%s: depends_on with conditions, not a bare list", name).isInstanceOf(Map.class);
            ComposeProject.map(dependsOn).forEach((dependency, spec) -> {
                assertThat(project.services).as("%s depends on %s", name, dependency).containsKey(dependency);
                String condition = String.valueOf(ComposeProject.map(spec).get("condition"));
                assertThat(condition).as("%s -> %s", name, dependency).isEqualTo(project.isJob(dependency)
                        ? "service_completed_successfully" : "service_healthy");
            });
        });
    }

    @Test
    void everyMountedFileExists() {
        project.services.forEach((name, service) -> {
            for (Object volume : (List<?>) service.getOrDefault("volumes", List.of())) {
                String source = String.valueOf(volume).split(":")[0];
                if (!source.startsWith(".")) {
                    continue; // a named volume
                }
                Path file = COMPOSE.resolve(source).normalize();
                assertThat(Files.exists(file)).as("%s mounts %s", name, file).isTrue();
                if (file.toString().endsWith(".sh")) {
                    assertThat(Files.isExecutable(file)).as("%s: %s must be executable", name, file).isTrue();
                }
            }
        });
    }

    @Test
    void everyVariableIsDocumentedInTheEnvironmentExample() throws IOException {
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                documented.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Set<String> used = new TreeSet<>();
        for (Path file : project.files) {
            Matcher matcher = VARIABLE.matcher(Files.readString(file).replace("$$", "\\"));
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(documented).as("variables in .env.example").containsAll(used);
        assertThat(used).as("variables nothing reads").containsAll(documented);
    }

    @Test
    void theDevelopmentSecretsAreNotUsable() throws IOException {
        // every secret in the example is a placeholder an operator must replace
        for (String line : Files.readAllLines(COMPOSE.resolve(".env.example"))) {
            if (line.matches("^[A-Z_]*(PASSWORD|SECRET|TOKEN|KEY|ROLE_ID)[A-Z_]*=.*")) {
                assertThat(line).as("placeholder").endsWith("=change-me");
            }
        }
        assertThat(COMPOSE.resolve(".env")).as("a real .env must never be in the repository").doesNotExist();
    }

    @Test
    void imagesOfStoresArePinnedToAVersion() {
        project.services.forEach((name, service) -> {
            if (!project.isCairn(name)) {
                assertThat(String.valueOf(service.get("image"))).as(name).matches("[a-z0-9./-]+:[0-9][0-9.]*");
            }
        });
    }

    @Test
    void theDockerfileBuildsOneModuleAndRunsUnprivileged() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("ARG MODULE", "-pl ${MODULE} -am", "USER 10001", "curl");
        for (String flag : dev.cairn.localcluster.ClusterSpec.DEFAULT_JVM_OPTIONS) {
            assertThat(dockerfile).as("the image runs with the launcher's JVM flags").contains(flag);
        }
        Set<String> ignored = new LinkedHashSet<>(Files.readAllLines(ROOT.resolve(".dockerignore")));
        assertThat(ignored).contains("**/target/", ".cairn/", ".git/");
    }
}
