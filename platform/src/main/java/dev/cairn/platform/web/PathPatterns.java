package dev.cairn.platform.web;

import java.util.List;

import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A list of path patterns ({@code /api/**}, {@code /.well-known/**}) parsed once, for filters
 * that test every request against them.
 */
public final class PathPatterns {

    private final List<PathPattern> patterns;

    public PathPatterns(List<String> patterns) {
        this.patterns = patterns.stream().map(p -> PathPatternParser.defaultInstance.parse(p.trim())).toList();
    }

    public boolean matches(String path) {
        if (patterns.isEmpty()) {
            return false;
        }
        PathContainer container = PathContainer.parsePath(path);
        for (PathPattern pattern : patterns) {
            if (pattern.matches(container)) {
                return true;
            }
        }
        return false;
    }
}
