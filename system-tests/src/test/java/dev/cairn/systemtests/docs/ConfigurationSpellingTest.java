package dev.cairn.systemtests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/configuration.md spells every environment variable one way: Spring's canonical form of its property. */
class ConfigurationSpellingTest {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.\\-]+)` \\| `([A-Z0-9_]+)`[^|]*\\|", Pattern.MULTILINE);

    @Test
    void everyVariableIsItsPropertyUpperCasedWithDotsAsUnderscoresAndNoDashes() throws IOException {
        Matcher rows = ROW.matcher(Files.readString(ROOT.resolve("docs/configuration.md")));
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        while (rows.find()) {
            checked++;
            String canonical = rows.group(1).replace("-", "").replace('.', '_').toUpperCase(Locale.ROOT);
            if (!canonical.equals(rows.group(2))) {
                wrong.add(rows.group(1) + ": " + rows.group(2) + ", not " + canonical);
            }
        }
        assertThat(checked).as("rows with a property and its variable").isGreaterThan(60);
        assertThat(wrong).isEmpty();
    }
}
