// Route modules are type-checked as Next.js checks them, against React's JSX
// types (tsconfig.routes.json), though satori draws them: so a component typed
// `FC` or returning `ReactNode` works. `tw` is satori's Tailwind attribute.
import 'react';

declare module 'react' {
  interface HTMLAttributes<T> {
    tw?: string;
  }
  interface SVGAttributes<T> {
    tw?: string;
  }
}

declare global {
  /** Route modules read process.env.X (src/pages/next/process.ts). */
  var process: { env: Record<string, string | undefined>; cwd(): string };
}
