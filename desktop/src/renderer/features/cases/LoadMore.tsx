import { Button } from 'antd';

/** "加载更多" under a list whose query hit its limit (lists read one page at a time). */
export function LoadMore({
  shown,
  limit,
  onMore,
}: {
  shown: number;
  limit: number;
  onMore: () => void;
}) {
  if (shown < limit) return null;
  return (
    <div style={{ textAlign: 'center', marginTop: 8 }}>
      <Button size="small" onClick={onMore} data-testid="load-more">
        加载更多
      </Button>
    </div>
  );
}
