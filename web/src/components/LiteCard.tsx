/**
 * antd's Card for simple cards (a title and a body) without what antd's Card always imports: Tabs
 * (with its overflow Dropdown and Menu) and Skeleton. Same markup, same classes, same generated
 * styles (antd's own Card style hook), so it looks the same; ~40 kB less (unpacked) on a phone's first screen.
 * Use antd's Card for tabs, extra, actions, cover or loading.
 */
import { ConfigProvider } from 'antd';
import useCardStyle from 'antd/es/card/style';
import { useContext } from 'react';

export function LiteCard({
  title,
  size,
  className,
  style,
  bodyStyle,
  children,
}: {
  title?: React.ReactNode;
  size?: 'small';
  className?: string;
  style?: React.CSSProperties;
  bodyStyle?: React.CSSProperties;
  children?: React.ReactNode;
}) {
  const { getPrefixCls } = useContext(ConfigProvider.ConfigContext);
  const prefixCls = getPrefixCls('card');
  const [hashId, cssVarCls] = useCardStyle(prefixCls);
  const classes = [
    prefixCls,
    `${prefixCls}-bordered`,
    size === 'small' ? `${prefixCls}-small` : null,
    className,
    hashId,
    cssVarCls,
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} style={style}>
      {title ? (
        <div className={`${prefixCls}-head`}>
          <div className={`${prefixCls}-head-wrapper`}>
            <div className={`${prefixCls}-head-title`}>{title}</div>
          </div>
        </div>
      ) : null}
      <div className={`${prefixCls}-body`} style={bodyStyle}>
        {children}
      </div>
    </div>
  );
}
