/** The member table's column chooser (desktop only), in a chunk of its own: Popover and the checkbox list. */
import { SettingOutlined } from '@ant-design/icons';
import { Button, Checkbox, Popover } from 'antd';

export default function ColumnChooser({
  options,
  hidden,
  onToggle,
}: {
  options: readonly [key: string, label: string][];
  hidden: ReadonlySet<string>;
  onToggle: (key: string, show: boolean) => void;
}) {
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title="显示的列"
      content={
        <div className="column-chooser" data-testid="column-chooser">
          {options.map(([key, label]) => (
            <div key={key}>
              <Checkbox checked={!hidden.has(key)} onChange={(e) => onToggle(key, e.target.checked)}>
                {label}
              </Checkbox>
            </div>
          ))}
        </div>
      }
    >
      <Button icon={<SettingOutlined />} data-testid="columns-button">
        列设置
      </Button>
    </Popover>
  );
}
