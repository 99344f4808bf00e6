import { parseCliArgs } from './cli-args';

describe('fleet-sim CLI arguments', () => {
  it('defaults to the demo scenario on dcgm-exporter’s port, loopback only', () => {
    expect(parseCliArgs([])).toEqual({
      port: 9400,
      host: '127.0.0.1',
      hostnameLabel: 'Hostname',
      powerLimit: true,
    });
  });

  it('reads every option', () => {
    expect(
      parseCliArgs([
        '--scenario',
        'libs/fleet-model/scenarios/demo.yaml',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--seed',
        '7',
        '--hostname-label',
        'hostname',
        '--no-power-limit',
      ]),
    ).toEqual({
      scenario: 'libs/fleet-model/scenarios/demo.yaml',
      port: 0,
      host: '0.0.0.0',
      seed: 7,
      hostnameLabel: 'hostname',
      powerLimit: false,
    });
    expect(parseCliArgs(['--seed', 'blue']).seed).toBe('blue');
  });

  it.each([
    [['--port', 'http'], /--port/],
    [['--port', '70000'], /--port/],
    [['--hostname-label', 'HOST'], /--hostname-label/],
    [['--verbose'], /Unknown option/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
