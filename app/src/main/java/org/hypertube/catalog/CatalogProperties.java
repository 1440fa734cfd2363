package org.hypertube.catalog;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param sourceBudget how long a page waits for the sources before showing what it has (CATALOG_SOURCE_BUDGET)
 * @param detailsMaxAge how old a film's details may be before a film page asks the sources again (CATALOG_DETAILS_MAX_AGE)
 * @param maxPages how far infinite scroll goes
 */
@ConfigurationProperties("hypertube.catalog")
record CatalogProperties(Duration sourceBudget, Duration detailsMaxAge, Integer maxPages) {

    CatalogProperties {
        sourceBudget = sourceBudget == null ? Duration.ofSeconds(8) : sourceBudget;
        detailsMaxAge = detailsMaxAge == null ? Duration.ofDays(7) : detailsMaxAge;
        maxPages = maxPages == null ? 50 : maxPages;
    }
}
