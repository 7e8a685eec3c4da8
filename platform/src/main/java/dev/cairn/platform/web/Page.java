package dev.cairn.platform.web;

import java.util.List;

/**
 * One page of a list, as the APIs answer it: the items, which page (counted from 0) of what
 * size, and how many there are in all.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public Page {
        items = List.copyOf(items);
    }
}
