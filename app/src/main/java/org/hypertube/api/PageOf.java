package org.hypertube.api;

import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** One page of a list, with links to its neighbours. */
record PageOf<T>(List<T> items, int page, int size, long total, Links links) {

    /** {@code next} and {@code prev} are there when such a page exists. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Links(String self, String next, String prev) {
    }

    static <T> PageOf<T> of(Page<T> page) {
        return new PageOf<>(page.getContent(), page.getNumber(), page.getSize(), page.getTotalElements(), new Links(
                link(page.getNumber(), page.getSize()),
                page.hasNext() ? link(page.getNumber() + 1, page.getSize()) : null,
                page.hasPrevious() ? link(page.getNumber() - 1, page.getSize()) : null));
    }

    private static String link(int page, int size) {
        return ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page)
                .replaceQueryParam("size", size).build().toUriString();
    }
}
