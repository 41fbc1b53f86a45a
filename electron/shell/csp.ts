// The session-wide Content-Security-Policy, kept free of 'electron' so it runs and is tested under plain Node.

/** The headers part of a response as Electron's webRequest hands it over. */
interface ResponseHeaderDetails {
  readonly responseHeaders?: Record<string, string[]>;
}

/** What an onHeadersReceived listener answers: the headers the renderer will see. */
export interface HeadersAnswer {
  readonly responseHeaders: Record<string, string[]>;
}

/**
 * An onHeadersReceived listener that puts the app's CSP on every response of the session, a second layer
 * under the app:// handler's own header: whatever reaches the window (an app page, or a response that ought
 * never to be there) is held to the same policy. The literal is the one `contentSecurityPolicy()` builds for
 * the app (a unit test keeps them equal); it is spelled out so a reviewer or a scanner reads it here.
 */
export function withAppCsp(details: ResponseHeaderDetails, callback: (answer: HeadersAnswer) => void): void {
  // Other headers pass through unchanged; a policy under this exact header name gives way to the app's (the
  // app:// handler sets this same one).
  callback({
    responseHeaders: {
      ...details.responseHeaders,
      "Content-Security-Policy": [
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
      ],
    },
  });
}
