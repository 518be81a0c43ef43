package io.leadcredits.client;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The route of the HTTP API a client method calls, as the OpenAPI document names it ({@code "POST
 * /api/leads/{leadId}/claim"}): the client's tests hold the set of these to the document's, so a
 * route the service gains is a failing test until the client has it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Route {
  String value();
}
