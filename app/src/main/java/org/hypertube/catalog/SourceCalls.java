package org.hypertube.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import org.hypertube.catalog.source.FilmSource;
import org.hypertube.catalog.source.SourceUnavailableException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Every call the catalog makes to an outside source, run in the reader's language and timed in
 * {@code /actuator/prometheus} as {@code hypertube_catalog_source_calls_seconds} with the source, the
 * call ({@code find} or {@code details}) and its outcome ({@code ok} or {@code failed}: unavailable,
 * malformed, or given up when the page's budget ran out).
 */
@Component
class SourceCalls {

    interface Call<T> {
        T call() throws SourceUnavailableException;
    }

    private final MeterRegistry registry;

    SourceCalls(MeterRegistry registry) {
        this.registry = registry;
    }

    <T> T run(FilmSource source, String call, Locale locale, Call<T> work) throws SourceUnavailableException {
        long start = System.nanoTime();
        String outcome = "failed";
        LocaleContextHolder.setLocale(locale);
        try {
            T result = work.call();
            outcome = "ok";
            return result;
        } finally {
            LocaleContextHolder.resetLocaleContext();
            Timer.builder("hypertube.catalog.source.calls").description("Calls to outside film sources")
                    .tags("source", source.name(), "call", call, "outcome", outcome).register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
