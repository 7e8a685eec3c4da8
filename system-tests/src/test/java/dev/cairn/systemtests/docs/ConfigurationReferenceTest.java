package dev.cairn.systemtests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cairn.localcluster.ServiceCatalog;
import dev.cairn.systemtests.deployment.ServiceSettings;

/** docs/configuration.md names every Cairn property that a packaged service or the gateway reads. */
class ConfigurationReferenceTest {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyCairnPropertyIsDocumented() throws IOException {
        String reference = Files.readString(ROOT.resolve("docs/configuration.md"));
        java.util.Set<String> missing = new java.util.TreeSet<>();
        List<String> modules = new ArrayList<>(ServiceCatalog.SERVICES.stream().map(ServiceCatalog.Service::name).toList());
        modules.add("gateway");
        int checked = 0;
        for (String module : modules) {
            for (String property : ServiceSettings.of(ROOT.resolve(module).resolve("target").resolve(module + ".jar")).cairnProperties()) {
                checked++;
                if (!reference.contains("`" + property)) {
                    missing.add(property);
                }
            }
        }
        assertThat(checked).as("Cairn properties found in the jars").isGreaterThan(30);
        assertThat(missing).as("properties missing from docs/configuration.md").isEmpty();
    }
}
