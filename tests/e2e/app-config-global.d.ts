/** app.config.ts calls Taro's build-time global; the page tour reads that file outside Taro's types. */
declare function defineAppConfig<T>(config: T): T;
