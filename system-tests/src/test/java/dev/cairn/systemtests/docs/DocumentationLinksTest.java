package dev.cairn.systemtests.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every relative link in the project's Markdown points at a file that exists, and at a heading that exists. */
class DocumentationLinksTest {

    private static final Path ROOT = Path.of(System.getProperty("cairn.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*$");
    private static final Set<String> SKIPPED = Set.of("target", ".git", ".cairn", "node_modules");

    @Test
    void relativeLinksResolve() throws IOException {
        List<Path> documents = markdownFiles();
        assertThat(documents).hasSizeGreaterThan(5);
        List<String> broken = new ArrayList<>();
        for (Path document : documents) {
            Matcher links = LINK.matcher(withoutCode(Files.readString(document)));
            while (links.find()) {
                String target = links.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                String where = ROOT.relativize(document) + " -> " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                    broken.add(where + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void headingAnchorsFollowGitHub() {
        assertThat(slug("Restore a register from a peer")).isEqualTo("restore-a-register-from-a-peer");
        assertThat(slug("MongoDB: planned step-down (`rs.stepDown`)")).isEqualTo("mongodb-planned-step-down-rsstepdown");
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> ROOT.relativize(p).toString().isEmpty()
                            || Stream.of(ROOT.relativize(p).toString().split("/")).noneMatch(SKIPPED::contains))
                    .toList();
        }
    }

    private static Set<String> anchors(Path document) {
        Set<String> anchors = new HashSet<>();
        try {
            for (String line : withoutCode(Files.readString(document)).split("\n")) {
                Matcher heading = HEADING.matcher(line);
                if (heading.matches()) {
                    String slug = slug(heading.group(1));
                    String unique = slug;
                    for (int i = 1; !anchors.add(unique); i++) {
                        unique = slug + "-" + i;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces as dashes. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** Fenced code blocks hold examples, not links. */
    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "");
    }
}
