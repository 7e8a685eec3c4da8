package dev.cairn.tenant.web;

import java.util.List;

/**
 * One page of a list. {@code size} is what was served: a larger request is refused, never
 * silently truncated.
 */
public record PageResponse<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 200;
}
