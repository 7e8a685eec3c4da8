package dev.cairn.systemtests.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Every setting the compose project passes to a Cairn service is one the packaged service reads
 * (its configuration metadata, in the jar the build made): a misspelt variable would be ignored
 * without a word.
 */
class ComposeSettingsIT {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    /** Read by the JVM itself, not by Spring. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "MALLOC_ARENA_MAX");

    private final ComposeProject project = new ComposeProject(ROOT.resolve("compose"));

    @Test
    void everyEnvironmentSettingIsOneTheServiceReads() {
        List<String> unknown = new ArrayList<>();
        for (String name : project.cairnServices()) {
            Map<String, Object> service = project.services.get(name);
            String module = String.valueOf(ComposeProject.map(ComposeProject.map(service.get("build")).get("args")).get("MODULE"));
            ServiceSettings settings = ServiceSettings.of(ROOT.resolve(module).resolve("target").resolve(module + ".jar"));
            for (String variable : ComposeProject.map(service.get("environment")).keySet()) {
                if (!JVM_VARIABLES.contains(variable) && !settings.reads(variable)) {
                    unknown.add(name + ": " + variable);
                }
            }
        }
        assertThat(unknown).as("environment variables that no property of the service binds").isEmpty();
    }

    @Test
    void theSettingsCheckRecognisesMisspelledVariables() {
        ServiceSettings wallet = ServiceSettings.of(ROOT.resolve("wallet-service/target/wallet-service.jar"));
        assertThat(wallet.reads("CAIRN_WALLET_KEYS_PROTECTOR")).isTrue();
        assertThat(wallet.reads("SPRING_DATA_REDIS_SENTINEL_NODES")).isTrue();
        assertThat(wallet.reads("SPRING_DATASOURCE_URL")).isTrue();
        assertThat(wallet.reads("CAIRN_WALLET_KEY_PROTECTOR")).isFalse();
        assertThat(wallet.reads("SPRING_DATA_REDIS_SENTINEL_NODE")).isFalse();
    }
}
