-- Example posts for local development and tests. Idempotent.
INSERT OR REPLACE INTO posts (slug, title, author, published_at, updated_at, tag) VALUES
  ('hello-edge', 'Hello from the edge: Open Graph images in under 100 ms', 'Ada Lovelace', '2026-03-14T09:00:00Z', '2026-03-14T09:00:00Z', 'Announcements'),
  ('caching-by-id', 'Caching social images by id, version and nothing else', 'Grace Hopper', '2026-05-02T12:30:00Z', '2026-05-04T08:00:00Z', 'Engineering'),
  ('long-titles', 'What happens when a post title is long enough to wrap across three or even four lines of a card?', 'Edsger Dijkstra', '2026-07-21T16:45:00Z', '2026-07-21T16:45:00Z', 'Design'),
  ('cafe-creme', 'Crème brûlée, jalapeño and Łódź: accents render too', 'José Núñez', '2026-09-09T10:00:00Z', '2026-09-10T10:00:00Z', NULL),
  ('bian-yuan', '在边缘为每一种语言生成社交图片：中文标题也不会变成方框', '李华', '2026-10-01T08:00:00Z', '2026-10-01T08:00:00Z', '国际化');
