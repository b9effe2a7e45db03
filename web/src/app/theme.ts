import type { ThemeConfig } from 'antd';

export const PARTY_RED = '#c8161d';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: PARTY_RED,
    colorLink: '#1f5fa8',
    colorInfo: '#1f5fa8',
    borderRadius: 4,
    colorBgLayout: '#f3f4f6',
    fontFamily:
      '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif',
  },
  components: {
    Layout: { headerBg: PARTY_RED, headerHeight: 56, headerPadding: '0 16px', siderBg: '#ffffff' },
    Menu: { itemSelectedBg: '#fdecec', itemSelectedColor: PARTY_RED },
    Table: { headerBg: '#f7f7f8' },
  },
};
