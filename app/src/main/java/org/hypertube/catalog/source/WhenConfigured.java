package org.hypertube.catalog.source;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Map;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * A source bean that exists only when all the named properties are set and not blank. Boot's
 * {@code @ConditionalOnProperty} would match an empty {@code ${TMDB_API_KEY:}} too.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Documented
@Conditional(WhenConfigured.AllSet.class)
@interface WhenConfigured {

    /** Property names, e.g. "hypertube.catalog.tmdb.api-key". */
    String[] value();

    final class AllSet implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(WhenConfigured.class.getName());
            if (attributes == null) {
                return false;
            }
            return Arrays.stream((String[]) attributes.get("value"))
                    .map(name -> context.getEnvironment().getProperty(name))
                    .allMatch(value -> value != null && !value.isBlank());
        }
    }
}
