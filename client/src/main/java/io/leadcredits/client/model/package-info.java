/**
 * The answers and requests of the HTTP API as records. Fields the service adds later are ignored,
 * so an older client keeps working against a newer service.
 */
package io.leadcredits.client.model;
