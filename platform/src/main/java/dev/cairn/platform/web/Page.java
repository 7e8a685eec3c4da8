package dev.cairn.platform.web;

import java.util.List;

/**
 * One page of a list, as the APIs answer it: the items, which page (counted from 0) of what
 * size, and how many there are in all.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    /** The largest page a list answers; a larger size is refused, never silently cut. */
    public static final int MAX_SIZE = 200;

    public Page {
        items = List.copyOf(items);
    }

    /** The same page with each item turned into another (an entity into its view). */
    public <R> Page<R> map(java.util.function.Function<? super T, ? extends R> mapper) {
        return new Page<>(items.stream().<R>map(mapper).toList(), page, size, total);
    }
}
